"use strict";
// The MAIN-world hook's pure parts (it installs nothing outside a browser window).
const test = require("node:test");
const assert = require("node:assert/strict");
const hook = require("../../extension/content/page-hook.js");
const C = require("../../extension/lib/comments.js");
const K = require("../../extension/lib/constants.js");

test("isCommentApi: the comment endpoints and the notifications list, on either site's API host", () => {
  const table = [
    ["https://edith.xiaohongshu.com/api/sns/web/v2/comment/page?note_id=1&cursor=", true],
    ["https://edith.xiaohongshu.com/api/sns/web/v1/you/mentions?num=20&cursor=", true],
    ["https://webapi.rednote.com/api/sns/web/v2/comment/page?note_id=1", true],
    ["https://webapi.rednote.com/api/sns/web/v1/you/mentions?num=20", true],
    ["https://edith.xiaohongshu.com/api/sns/web/v1/you/likes?num=20", false],
    ["https://rednote.com.evil.example/api/sns/web/v1/you/mentions", false],
    ["https://edith.xiaohongshu.com/api/sns/web/v2/comment/sub/page?note_id=1&root_comment_id=2", true],
    ["/api/sns/web/v2/comment/page?note_id=1", true],
    ["https://edith.xiaohongshu.com/api/sns/web/v2/comment/post", false],
    ["https://edith.xiaohongshu.com/api/sns/web/v1/feed", false],
    ["https://edith.xiaohongshu.com/api/sns/web/v2/comment/page/extra", false],
    ["https://evil.example/api/sns/web/v2/comment/page", false],
    ["https://xiaohongshu.com.evil.example/api/sns/web/v2/comment/page", false],
    ["::::", false],
  ];
  for (const [url, expected] of table) {
    assert.equal(hook.isCommentApi(url), expected, url);
    assert.equal(C.commentEndpoint(url) !== null, expected, `lib agrees: ${url}`);
  }
});

test("the hook's own note-id pattern is lib/constants.js's", () => {
  assert.equal(hook.NOTE_ID_PATTERN, K.NOTE_ID_PATTERN);
  assert.ok(hook.NOTE_PATH.source.includes(`(${K.NOTE_ID_PATTERN})`), hook.NOTE_PATH.source);
});

test("NOTE_PATH agrees with lib/comments noteIdFromUrl", () => {
  const id = "65f0a1b2c3d4e5f601234567";
  for (const path of [`/explore/${id}`, `/discovery/item/${id}`, `/search_result/${id}`, `/user/profile/5a1b/${id}`, "/explore", `/explore/${id}z`]) {
    const m = hook.NOTE_PATH.exec(path);
    assert.equal(m ? m[1] : null, C.noteIdFromUrl("https://www.xiaohongshu.com" + path), path);
  }
});

test("toPlain in the hook: refs unwrapped, cycles cut, clone-safe", () => {
  const ref = { __v_isRef: true, dep: {}, _rawValue: { list: [{ id: "a", fn() {} }] } };
  ref.dep.self = ref;
  const plain = hook.toPlain(ref, 14, new WeakSet());
  assert.deepEqual(plain, { list: [{ id: "a" }] });
  assert.deepEqual(structuredClone(plain), plain);
  assert.deepEqual(hook.toPlain({ _value: 3 }, 14, new WeakSet()), 3);
});
