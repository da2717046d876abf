/* Pure comment helpers: note ids from URLs, Vue-ref unwrapping, and turning the site's comment objects
 * (API snake_case or page-state camelCase) into the helper's comment shape (README "POST /api/comments").
 * Works as a classic content-script/service-worker file (globalThis.LinkTriage.comments) and under node. */
(function (root) {
  "use strict";

  const K = (root.LinkTriage && root.LinkTriage.constants) || require("./constants.js");
  const NOTE_ID = K.NOTE_ID_PATTERN;
  // Path shapes of a note page (the overlay opened from a feed uses /explore/<id> too).
  const NOTE_PATHS = [
    new RegExp(`^/explore/(${NOTE_ID})(?:[/?#]|$)`, "i"),
    new RegExp(`^/discovery/item/(${NOTE_ID})(?:[/?#]|$)`, "i"),
    new RegExp(`^/search_result/(${NOTE_ID})(?:[/?#]|$)`, "i"),
    new RegExp(`^/user/profile/[0-9a-z]+/(${NOTE_ID})(?:[/?#]|$)`, "i"),
  ];
  const MAX_TEXT = 10000;
  // The Chinese site and the international one serve the same pages and APIs (issue 16, item 7).
  const SITE_HOSTS = ["www.xiaohongshu.com", "www.rednote.com"];
  const API_HOST = /(^|\.)(xiaohongshu|rednote)\.com$/;

  /** The note id of a note page URL on www.xiaohongshu.com or www.rednote.com, or null for any other page. */
  function noteIdFromUrl(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch (_) {
      return null;
    }
    if (parsed.protocol !== "https:" || !SITE_HOSTS.includes(parsed.hostname)) return null;
    for (const re of NOTE_PATHS) {
      const m = re.exec(parsed.pathname);
      if (m) return m[1].toLowerCase();
    }
    return null;
  }

  /** Is `url` a page of one of the sites (either host)? */
  function isSitePage(url) {
    try {
      const parsed = new URL(url);
      return parsed.protocol === "https:" && SITE_HOSTS.includes(parsed.hostname);
    } catch (_) {
      return false;
    }
  }

  function isRef(value) {
    return (
      value !== null &&
      typeof value === "object" &&
      !Array.isArray(value) &&
      (value.__v_isRef === true || "_rawValue" in value || "_value" in value)
    );
  }

  /** Unwrap Vue refs (`_rawValue` preferred over `_value`) at this level only. */
  function unwrapRef(value) {
    let guard = 0;
    while (isRef(value) && guard++ < 8) {
      value = "_rawValue" in value ? value._rawValue : value._value;
    }
    return value;
  }

  function pick(obj, ...keys) {
    if (!obj || typeof obj !== "object") return undefined;
    for (const key of keys) {
      if (obj[key] !== undefined && obj[key] !== null) return obj[key];
    }
    return undefined;
  }

  function asId(value) {
    if (typeof value === "number" && Number.isFinite(value)) return String(value);
    if (typeof value !== "string") return null;
    const trimmed = value.trim();
    return trimmed && trimmed.length <= 64 ? trimmed : null;
  }

  /** The first `max` code points of `text`: never cuts an emoji (a surrogate pair) in half, which would
   * leave a lone surrogate — not valid Unicode, and the helper cannot store it. */
  function cutCodePoints(text, max) {
    if (typeof text !== "string" || text.length <= max) return text;
    let out = "";
    let n = 0;
    for (const ch of text) {
      if (n++ >= max) break;
      out += ch;
    }
    return out;
  }

  function asText(value) {
    if (typeof value !== "string") return "";
    return cutCodePoints(value, MAX_TEXT);
  }

  /** "12" → 12, "1.2万" → 12000, "3k" → 3000, "赞"/"" → 0, anything else → null. */
  function parseCount(value) {
    if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.round(value) : null;
    if (typeof value !== "string") return null;
    const s = value.trim().toLowerCase().replace(/,/g, "");
    if (s === "" || s === "赞" || s === "回复") return 0;
    const m = /^(\d+(?:\.\d+)?)\s*(万|w|千|k|亿)?\+?$/.exec(s);
    if (!m) return null;
    const scale = { 万: 1e4, w: 1e4, 千: 1e3, k: 1e3, 亿: 1e8 }[m[2]] || 1;
    return Math.round(parseFloat(m[1]) * scale);
  }

  function asEpochMs(value) {
    if (typeof value === "number" && Number.isFinite(value) && value > 0) {
      return value < 1e11 ? Math.round(value * 1000) : Math.round(value); // seconds → ms
    }
    if (typeof value === "string" && /^\d{9,14}$/.test(value)) return asEpochMs(Number(value));
    return null;
  }

  function tagsOf(raw) {
    const tags = unwrapRef(pick(raw, "show_tags", "showTags"));
    return Array.isArray(tags) ? tags.filter((t) => typeof t === "string") : [];
  }

  /**
   * One site comment (API or page state, possibly with Vue refs) → the helper's comment shape, followed by
   * its embedded replies. `ctx`: {noteId, parentId, noteAuthorId}. Returns [] for an object without an id.
   */
  function normalizeComment(rawInput, ctx = {}) {
    const raw = unwrapRef(rawInput);
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) return [];
    const id = asId(unwrapRef(raw.id));
    if (!id) return [];
    const user = unwrapRef(pick(raw, "user_info", "userInfo")) || {};
    const authorId = asId(unwrapRef(pick(user, "user_id", "userId")));
    const ownNoteId = asId(unwrapRef(pick(raw, "note_id", "noteId")));
    const noteId = (ownNoteId && K.NOTE_ID.test(ownNoteId) ? ownNoteId.toLowerCase() : ownNoteId) || ctx.noteId || null;
    const tags = tagsOf(raw);
    const isAuthor = tags.includes("is_author") || (!!authorId && !!ctx.noteAuthorId && authorId === ctx.noteAuthorId);
    const location = unwrapRef(pick(raw, "ip_location", "ipLocation"));
    const target = unwrapRef(pick(raw, "target_comment", "targetComment"));
    const replyTo = target && typeof target === "object" ? asId(unwrapRef(target.id)) : null;
    const comment = {
      id,
      note_id: noteId,
      parent_id: ctx.parentId || null,
      text: asText(unwrapRef(raw.content)),
      author: asText(unwrapRef(pick(user, "nickname"))) || null,
      author_id: authorId,
      created_at: asEpochMs(unwrapRef(pick(raw, "create_time", "createTime"))),
      like_count: parseCount(unwrapRef(pick(raw, "like_count", "likeCount"))),
      ip_location: typeof location === "string" && location ? location : null,
      is_author: isAuthor,
    };
    if (replyTo) comment.reply_to_id = replyTo; // the comment this reply answers (its thread is parent_id)
    // A top comment knows how many replies its thread has (coverage: threads not expanded yet). Kept off
    // the object sent to the helper: capture.js takes it out.
    if (!ctx.parentId) {
      const replies = parseCount(unwrapRef(pick(raw, "sub_comment_count", "subCommentCount")));
      if (replies !== null) Object.defineProperty(comment, "replyCount", { value: replies, enumerable: false });
    }
    const out = [comment];
    const subs = unwrapRef(pick(raw, "sub_comments", "subComments"));
    if (Array.isArray(subs)) {
      for (const sub of subs) {
        out.push(...normalizeComment(sub, { ...ctx, noteId, parentId: ctx.parentId || id }));
      }
    }
    return out;
  }

  function normalizeList(list, ctx) {
    const out = [];
    if (!Array.isArray(list)) return out;
    for (const raw of list) out.push(...normalizeComment(raw, ctx));
    return out;
  }

  /**
   * A parsed response of /api/sns/web/v2/comment/page or /comment/sub/page → {ok, comments, hasMore}.
   * `query` holds the request's note_id and (for sub pages) root_comment_id: replies need their thread id.
   * Failure envelopes ({code: -1, success: false}) give ok=false and no comments.
   */
  function parseCommentResponse(body, query = {}, ctx = {}) {
    body = unwrapRef(body);
    if (!body || typeof body !== "object") return { ok: false, comments: [], hasMore: false };
    const success = body.success === true || body.code === 0;
    const data = unwrapRef(body.data);
    if (!success || !data || typeof data !== "object") return { ok: false, comments: [], hasMore: false };
    const noteId = asId(query.note_id) || ctx.noteId || null;
    const parentId = asId(query.root_comment_id) || null;
    const comments = normalizeList(unwrapRef(data.comments), { ...ctx, noteId, parentId });
    return { ok: true, comments, hasMore: data.has_more === true };
  }

  /** `window.__INITIAL_STATE__.note.noteDetailMap[noteId]` (already plain or not) → {note, comments}. */
  function parseNoteDetail(detailInput, noteId) {
    const detail = unwrapRef(detailInput);
    if (!detail || typeof detail !== "object") return null;
    const rawNote = unwrapRef(detail.note) || {};
    const user = unwrapRef(rawNote.user) || {};
    const id = asId(unwrapRef(rawNote.noteId)) || asId(unwrapRef(rawNote.id)) || noteId || null;
    if (!id) return null;
    const title = asText(unwrapRef(rawNote.title)) || cutCodePoints(asText(unwrapRef(rawNote.desc)).split("\n")[0], 80);
    const interact = unwrapRef(pick(rawNote, "interactInfo", "interact_info")) || {};
    const note = {
      id,
      title: title || null,
      author_id: asId(unwrapRef(pick(user, "userId", "user_id"))),
      author_name: asText(unwrapRef(pick(user, "nickname"))) || null,
      comment_count: parseCount(unwrapRef(pick(interact, "commentCount", "comment_count"))),
    };
    const commentsBox = unwrapRef(detail.comments) || {};
    const list = unwrapRef(Array.isArray(commentsBox) ? commentsBox : commentsBox.list);
    const comments = normalizeList(list, { noteId: id, noteAuthorId: note.author_id });
    return { note, comments };
  }

  /** A note link that works from outside the note (the site answers 404 without its xsec_token). */
  function noteUrl(noteId, xsecToken, origin = "https://www.xiaohongshu.com", source = "pc_notice") {
    const q = xsecToken ? `?xsec_token=${encodeURIComponent(xsecToken)}&xsec_source=${source}` : "";
    return `${origin}/explore/${noteId}${q}`;
  }

  const MENTION_TYPES = new Set(["comment/item", "comment/comment"]);

  /**
   * One message of the notifications page (API snake_case or page-state camelCase, Vue refs allowed) →
   * {comment, note} in the helper's shapes, or null when it is not a comment on one of the creator's notes
   * (likes, follows, @-mentions elsewhere). `time` is in SECONDS there; the commenter is `user_info.userid`.
   */
  function normalizeMention(rawInput, { origin } = {}) {
    const raw = unwrapRef(rawInput);
    if (!raw || typeof raw !== "object") return null;
    const type = unwrapRef(raw.type);
    if (!MENTION_TYPES.has(type)) return null;
    const info = unwrapRef(pick(raw, "comment_info", "commentInfo")) || {};
    const item = unwrapRef(pick(raw, "item_info", "itemInfo")) || {};
    const user = unwrapRef(pick(raw, "user_info", "userInfo")) || {};
    const owner = unwrapRef(pick(item, "user_info", "userInfo")) || {};
    const id = asId(unwrapRef(info.id));
    const noteIdRaw = asId(unwrapRef(item.id));
    if (!id || !noteIdRaw || !K.NOTE_ID.test(noteIdRaw)) return null;
    const noteId = noteIdRaw.toLowerCase();
    const authorId = asId(unwrapRef(pick(user, "userid", "user_id", "userId")));
    const ownerId = asId(unwrapRef(pick(owner, "userid", "user_id", "userId")));
    const target = unwrapRef(pick(info, "target_comment", "targetComment"));
    const targetId = target && typeof target === "object" ? asId(unwrapRef(target.id)) : null;
    const seconds = unwrapRef(raw.time);
    const token = unwrapRef(pick(item, "xsec_token", "xsecToken"));
    const comment = {
      id,
      note_id: noteId,
      // The comment replied to: its thread's top comment is only known on the note page.
      parent_id: type === "comment/comment" ? targetId : null,
      text: asText(unwrapRef(info.content)),
      author: asText(unwrapRef(user.nickname)) || null,
      author_id: authorId,
      created_at: typeof seconds === "number" && seconds > 0 ? Math.round(seconds * 1000) : asEpochMs(seconds),
      like_count: parseCount(unwrapRef(pick(info, "like_count", "likeCount"))),
      ip_location: null,
      is_author: !!authorId && authorId === ownerId,
    };
    if (targetId && type === "comment/comment") comment.reply_to_id = targetId;
    const title = cutCodePoints(asText(unwrapRef(item.content)).split("\n")[0].trim(), 200);
    const note = {
      id: noteId,
      title: title || null,
      author_id: ownerId,
      author_name: asText(unwrapRef(owner.nickname)) || null,
      url: noteUrl(noteId, typeof token === "string" ? token : "", origin),
    };
    return { comment, note };
  }

  /** A parsed /api/sns/web/v1/you/mentions response (or the page state's messageList) → {ok, mentions, hasMore}. */
  function parseMentionsResponse(body, ctx = {}) {
    body = unwrapRef(body);
    let list = null;
    let hasMore = false;
    if (Array.isArray(body)) list = body;
    else if (body && typeof body === "object") {
      const success = body.success === true || body.code === 0;
      const data = unwrapRef(body.data);
      if (!success || !data || typeof data !== "object") return { ok: false, mentions: [], hasMore: false };
      list = unwrapRef(pick(data, "message_list", "messageList"));
      hasMore = data.has_more === true;
    }
    if (!Array.isArray(list)) return { ok: false, mentions: [], hasMore: false };
    const mentions = [];
    for (const raw of list) {
      const m = normalizeMention(raw, ctx);
      if (m) mentions.push(m);
    }
    return { ok: true, mentions, hasMore };
  }

  /** The URL's query as a plain object (for the API URLs the page requested). */
  function queryOf(url) {
    try {
      const parsed = new URL(url, "https://edith.xiaohongshu.com/");
      // forEach, not Object.fromEntries(entries()): in Firefox content scripts that iterator gives nothing.
      const out = {};
      parsed.searchParams.forEach((value, key) => {
        out[key] = value;
      });
      return out;
    } catch (_) {
      return {};
    }
  }

  /** Which comment endpoint a URL is: "page", "sub" or null. */
  function commentEndpoint(url) {
    let parsed;
    try {
      parsed = new URL(url, "https://edith.xiaohongshu.com/");
    } catch (_) {
      return null;
    }
    if (!API_HOST.test(parsed.hostname)) return null;
    if (parsed.pathname === "/api/sns/web/v2/comment/page") return "page";
    if (parsed.pathname === "/api/sns/web/v2/comment/sub/page") return "sub";
    if (parsed.pathname === "/api/sns/web/v1/you/mentions") return "mentions";
    return null;
  }

  const api = {
    noteIdFromUrl,
    cutCodePoints,
    unwrapRef,
    parseCount,
    asEpochMs,
    normalizeComment,
    parseCommentResponse,
    parseNoteDetail,
    normalizeMention,
    parseMentionsResponse,
    noteUrl,
    isSitePage,
    queryOf,
    commentEndpoint,
  };
  root.LinkTriage = root.LinkTriage || {};
  root.LinkTriage.comments = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(globalThis);
