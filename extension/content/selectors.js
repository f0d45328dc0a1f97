// Every selector Kefu uses on weibo.com, in one place (see the shared
// weibo-dom.md). Hashed class names change with every deploy, so they are
// matched by their stable part ([class*="_input_"]). When Weibo changes its
// page, this is the one file to edit.

globalThis.KefuSelectors = Object.freeze({
  // The Vue app root: its presence says "this is the Weibo web app".
  appRoot: '[data-v-app]',
  // A top-level comment and a nested reply.
  commentItem: '.item1, .item2',
  // The element holding "<a usercard=uid>name</a><span>:</span><span>text</span>".
  commentText: '.text',
  // The author link inside .text.
  author: 'a[usercard], a[href^="/u/"]',
  // Time and place: the first child of .info.
  info: '.info',
  // Text boxes in which the company speaks.
  textBox: 'textarea',
  // The send button of a composer ("评论" / "回复" / "发送").
  sendButton: 'button.woo-button-primary',
  // Boxes in which a plain Enter sends (private messages).
  enterSends: 'textarea[class*="Chat_input_"]',
  // A comment's reply icon.
  replyIcon: 'i.woo-font--comment[title="评论"]',
  // The virtual scroller's row views (data-index: position in the list).
  scrollerRow: '.wbpro-scroller-item[data-index]',
  // A row view the scroller has parked off screen, old content still inside.
  parkedRow: '[data-active="false"]',
  // Weibo's own windows over the page: the 私信 chat window, and the
  // layers of its composers (reply thread, 发微博). Kefu's panels keep off them.
  pageWindow: '[class*="Chat_main_"], .woo-modal-main',
  // The list's own "load more" link.
  loadMore: '[class*="Bottom_more_"]',
});
