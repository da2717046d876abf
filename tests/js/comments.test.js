"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const C = require("../../extension/lib/comments.js");

const NOTE = "65f0a1b2c3d4e5f601234567";

test("noteIdFromUrl: note pages only", () => {
  const table = [
    [`https://www.xiaohongshu.com/explore/${NOTE}?xsec_token=abc&xsec_source=pc_feed`, NOTE],
    [`https://www.xiaohongshu.com/explore/${NOTE.toUpperCase()}`, NOTE],
    [`https://www.xiaohongshu.com/discovery/item/${NOTE}`, NOTE],
    [`https://www.xiaohongshu.com/search_result/${NOTE}?k=1`, NOTE],
    [`https://www.xiaohongshu.com/user/profile/5a1b2c3d4e5f6a7b8c9d0e1f/${NOTE}`, NOTE],
    ["https://www.xiaohongshu.com/explore", null],
    ["https://www.xiaohongshu.com/explore?channel_id=homefeed_recommend", null],
    ["https://www.xiaohongshu.com/user/profile/5a1b2c3d4e5f6a7b8c9d0e1f", null],
    [`https://www.xiaohongshu.com/explore/${NOTE}x`, null],
    [`https://www.xiaohongshu.com.evil.example/explore/${NOTE}`, null],
    [`http://www.xiaohongshu.com/explore/${NOTE}`, null],
    ["not a url", null],
  ];
  for (const [url, expected] of table) assert.equal(C.noteIdFromUrl(url), expected, url);
});

test("unwrapRef: Vue refs unwrapped, one level", () => {
  assert.equal(C.unwrapRef({ __v_isRef: true, _rawValue: 1, _value: 2 }), 1);
  assert.equal(C.unwrapRef({ _value: { _value: "x" } }), "x");
  assert.deepEqual(C.unwrapRef([1]), [1]);
  assert.deepEqual(C.unwrapRef({ a: { _value: 1 } }), { a: { _value: 1 } }, "nested refs are left to the callers");
});

test("parseCount", () => {
  const table = [["12", 12], ["0", 0], ["赞", 0], ["", 0], ["1.2万", 12000], ["3k", 3000], ["1,024", 1024], [7, 7], ["abc", null], [null, null], [-1, null]];
  for (const [input, expected] of table) assert.equal(C.parseCount(input), expected, String(input));
});

test("asEpochMs", () => {
  assert.equal(C.asEpochMs(1732400000000), 1732400000000);
  assert.equal(C.asEpochMs(1732400000), 1732400000000);
  assert.equal(C.asEpochMs("1732400000000"), 1732400000000);
  assert.equal(C.asEpochMs("yesterday"), null);
  assert.equal(C.asEpochMs(0), null);
});

const apiComment = (over = {}) => ({
  id: "6740a0000000000000000001",
  note_id: NOTE,
  content: "求链接！！",
  create_time: 1732400000000,
  ip_location: "上海",
  like_count: "3",
  show_tags: [],
  user_info: { user_id: "u1", nickname: "小鹿", image: "https://x/1.jpg" },
  sub_comment_count: "1",
  sub_comments: [
    {
      id: "6740a0000000000000000002",
      note_id: NOTE,
      content: "左下角商品卡哦",
      create_time: 1732400100000,
      like_count: "0",
      show_tags: ["is_author"],
      user_info: { user_id: "author1", nickname: "博主" },
      target_comment: { id: "6740a0000000000000000001", user_info: { user_id: "u1", nickname: "小鹿" } },
    },
  ],
  ...over,
});

test("parseCommentResponse: top-level page flattens replies with their thread id", () => {
  const body = { code: 0, success: true, msg: "成功", data: { comments: [apiComment()], cursor: "c1", has_more: true } };
  const r = C.parseCommentResponse(body, { note_id: NOTE, cursor: "" });
  assert.equal(r.ok, true);
  assert.equal(r.hasMore, true);
  assert.deepEqual(r.comments, [
    { id: "6740a0000000000000000001", note_id: NOTE, parent_id: null, text: "求链接！！", author: "小鹿", author_id: "u1",
      created_at: 1732400000000, like_count: 3, ip_location: "上海", is_author: false },
    { id: "6740a0000000000000000002", note_id: NOTE, parent_id: "6740a0000000000000000001", text: "左下角商品卡哦", author: "博主",
      author_id: "author1", created_at: 1732400100000, like_count: 0, ip_location: null, is_author: true,
      reply_to_id: "6740a0000000000000000001" },
  ]);
});

test("parseCommentResponse: sub page takes parent from root_comment_id; author by id", () => {
  const body = { code: 0, success: true, data: { comments: [apiComment({ id: "r9", sub_comments: [], user_info: { user_id: "author1", nickname: "博主" } })], has_more: false } };
  const r = C.parseCommentResponse(body, { note_id: NOTE, root_comment_id: "top1" }, { noteAuthorId: "author1" });
  assert.equal(r.comments.length, 1);
  assert.equal(r.comments[0].parent_id, "top1");
  assert.equal(r.comments[0].is_author, true);
});

test("parseCommentResponse: failures and junk give nothing", () => {
  const table = [
    { code: -1, success: false, msg: "请求太频繁" },
    { code: 0, success: true },
    { success: true, data: { comments: "nope" } },
    null,
    "text",
    { code: 0, success: true, data: { comments: [null, 3, "x", {}, { id: "" }, { id: { evil: 1 } }] } },
  ];
  for (const body of table) assert.deepEqual(C.parseCommentResponse(body, { note_id: NOTE }).comments, [], JSON.stringify(body));
});

test("normalizeComment: markup stays text, missing fields are null, long text is capped", () => {
  const [c] = C.normalizeComment({ id: "x1", content: '<img src=x onerror="alert(1)">', user_info: null, like_count: "赞" }, { noteId: NOTE });
  assert.equal(c.text, '<img src=x onerror="alert(1)">');
  assert.equal(c.author, null);
  assert.equal(c.author_id, null);
  assert.equal(c.like_count, 0);
  assert.equal(c.note_id, NOTE);
  const [long] = C.normalizeComment({ id: "x2", content: "啊".repeat(20000) }, { noteId: NOTE });
  assert.equal(long.text.length, 10000);
});

test("parseNoteDetail: camelCase state with Vue refs", () => {
  const ref = (v) => ({ __v_isRef: true, _rawValue: v, _value: v });
  const detail = {
    note: ref({ noteId: NOTE, title: "客厅改造", desc: "...", user: { userId: "author1", nickname: "博主" }, interactInfo: { commentCount: "1.2万" } }),
    comments: ref({
      list: [
        { id: "c1", content: "沙发在哪里买", createTime: 1732400000000, likeCount: "1.1万", ipLocation: "浙江",
          userInfo: { userId: "u2", nickname: "阿木" }, showTags: [], subCommentCount: "3", subComments: [
            { id: "c2", content: "谢谢", userInfo: { userId: "author1", nickname: "博主" }, showTags: [] },
          ] },
      ],
      cursor: "x",
      hasMore: true,
    }),
  };
  const r = C.parseNoteDetail(detail, NOTE);
  assert.deepEqual(r.note, { id: NOTE, title: "客厅改造", author_id: "author1", author_name: "博主", comment_count: 12000 });
  assert.equal(r.comments.length, 2);
  assert.equal(r.comments[0].like_count, 11000);
  assert.equal(r.comments[0].ip_location, "浙江");
  assert.equal(r.comments[1].parent_id, "c1");
  // A top comment's reply count (for coverage) rides along without being sent to the helper.
  assert.equal(r.comments[0].replyCount, 3);
  assert.ok(!("replyCount" in JSON.parse(JSON.stringify(r.comments[0]))));
  assert.equal(r.comments[1].is_author, true, "the note author's reply is marked by user id");
  assert.equal(C.parseNoteDetail(null, NOTE), null);
  assert.equal(C.parseNoteDetail({ note: { title: "t" }, comments: {} }, NOTE).note.title, "t");
  assert.equal(C.parseNoteDetail({ note: { desc: "第一行\n第二行" } }, NOTE).note.title, "第一行");
});

test("commentEndpoint / queryOf", () => {
  const table = [
    [`https://edith.xiaohongshu.com/api/sns/web/v2/comment/page?note_id=${NOTE}&cursor=`, "page"],
    [`https://edith.xiaohongshu.com/api/sns/web/v2/comment/sub/page?note_id=${NOTE}&root_comment_id=a`, "sub"],
    ["/api/sns/web/v2/comment/page", "page"],
    ["https://edith.xiaohongshu.com/api/sns/web/v1/feed", null],
    ["https://evil.example/api/sns/web/v2/comment/page", null],
    ["https://xiaohongshu.com.evil.example/api/sns/web/v2/comment/page", null],
  ];
  for (const [url, expected] of table) assert.equal(C.commentEndpoint(url), expected, url);
  assert.deepEqual(C.queryOf(`https://e/x?note_id=${NOTE}&root_comment_id=r1`), { note_id: NOTE, root_comment_id: "r1" });
});

test("a note without a title is named by its description's first 80 code points, never half an emoji", () => {
  // 79 characters, then an emoji (two UTF-16 units) at the cut: slice(0, 80) would leave a lone surrogate.
  const desc = "一".repeat(79) + "😀后面的字\n第二行";
  const parsed = C.parseNoteDetail({ note: { noteId: "6745f0c1a2b3c4d5e6f70811", title: "", desc } }, "6745f0c1a2b3c4d5e6f70811");
  assert.equal(parsed.note.title, "一".repeat(79) + "😀");
  assert.equal(parsed.note.title.isWellFormed ? parsed.note.title.isWellFormed() : true, true);
  assert.equal(C.cutCodePoints("ab😀c", 3), "ab😀");
  assert.equal(C.cutCodePoints("ab😀c", 2), "ab");
  assert.equal(C.cutCodePoints("short", 80), "short");
});

// The notifications page's shapes (shared doc, "The creator's notifications page").
const mention = (over = {}) => ({
  id: "m1",
  type: "comment/comment",
  title: "回复了你的评论",
  time: 1732486100, // seconds
  user_info: { userid: "buyer1", nickname: "买家", image: "" },
  comment_info: { id: "c9", content: "同求链接", status: 0, liked: false, like_count: 2, target_comment: { id: "c1", content: "风衣求链接", user_info: { userid: "b0", nickname: "x" } } },
  item_info: { id: "6745F0C1A2B3C4D5E6F70833", content: "通勤穿搭｜米色风衣\n正文", image: "", xsec_token: "AB+/=", type: "normal", status: 0,
               user_info: { userid: "creator", nickname: "阿棠" } },
  ...over,
});

test("parseMentionsResponse: comments on the creator's notes, with their note and its xsec link; nothing else", () => {
  const body = { code: 0, success: true, data: { message_list: [mention(), { id: "m2", type: "like/item", item_info: mention().item_info }, { id: "m3", type: "follow" },
    mention({ id: "m4", type: "comment/item", user_info: { userid: "creator", nickname: "阿棠" }, comment_info: { id: "c10", content: "谢谢" } })], has_more: true } };
  const r = C.parseMentionsResponse(body, { origin: "https://www.rednote.com" });
  assert.equal(r.ok, true);
  assert.equal(r.hasMore, true);
  assert.deepEqual(r.mentions.map((m) => m.comment), [
    { id: "c9", note_id: "6745f0c1a2b3c4d5e6f70833", parent_id: "c1", text: "同求链接", author: "买家", author_id: "buyer1",
      created_at: 1732486100000, like_count: 2, ip_location: null, is_author: false, reply_to_id: "c1" },
    { id: "c10", note_id: "6745f0c1a2b3c4d5e6f70833", parent_id: null, text: "谢谢", author: "阿棠", author_id: "creator",
      created_at: 1732486100000, like_count: null, ip_location: null, is_author: true },
  ]);
  assert.deepEqual(r.mentions[0].note, {
    id: "6745f0c1a2b3c4d5e6f70833", title: "通勤穿搭｜米色风衣", author_id: "creator", author_name: "阿棠",
    url: "https://www.rednote.com/explore/6745f0c1a2b3c4d5e6f70833?xsec_token=AB%2B%2F%3D&xsec_source=pc_notice",
  });
});

test("parseMentionsResponse: the page state's camelCase copy with Vue refs; failures give nothing", () => {
  const camel = { id: "m1", type: "comment/item", time: { _rawValue: 1732486100, __v_isRef: true },
    userInfo: { userid: "b", nickname: "n" }, commentInfo: { id: "c1", content: "求链接" },
    itemInfo: { id: "6745f0c1a2b3c4d5e6f70833", content: "标题", xsecToken: "T", userInfo: { userid: "creator" } } };
  const r = C.parseMentionsResponse([camel]);
  assert.equal(r.mentions.length, 1);
  assert.equal(r.mentions[0].comment.created_at, 1732486100000);
  assert.equal(r.mentions[0].note.url, "https://www.xiaohongshu.com/explore/6745f0c1a2b3c4d5e6f70833?xsec_token=T&xsec_source=pc_notice");
  for (const body of [{ code: -1, success: false }, null, { code: 0, success: true, data: { message_list: "x" } }, [{ type: "comment/item" }], [{ type: "comment/item", comment_info: { id: "c" }, item_info: { id: "not-a-note" } }]]) {
    assert.deepEqual(C.parseMentionsResponse(body).mentions, [], JSON.stringify(body));
  }
  assert.equal(C.commentEndpoint("https://edith.xiaohongshu.com/api/sns/web/v1/you/mentions?num=20&cursor="), "mentions");
});
