// Countersign console: keyboard shortcuts on the review queue. The page works completely without
// it (plain forms); this only saves reaching for the mouse. Same origin only (see the page's CSP).
//   v  moves to the "Verify" reason list, r to the "Reject" one; Enter there sends that decision
//   n  releases the signature shown, and the page shows the next one
(function () {
  'use strict';
  var current = document.querySelector('[data-review-current]');
  if (!current) return;
  var help = current.querySelector('[data-shortcuts]');
  if (help) help.hidden = false;
  // Say the shortcuts to assistive technology too, now that they work.
  [
    ['form[data-decision="verify"] select[name="reasonCode"]', 'V'],
    ['form[data-decision="reject"] select[name="reasonCode"]', 'R'],
    ['#release-form button', 'N'],
  ].forEach(function (pair) {
    var node = current.querySelector(pair[0]);
    if (node) node.setAttribute('aria-keyshortcuts', pair[1]);
  });

  function typing(target) {
    if (!target || !target.tagName) return false;
    var tag = target.tagName.toLowerCase();
    return tag === 'input' || tag === 'textarea' || tag === 'select' || target.isContentEditable;
  }

  function send(form) {
    if (!form) return;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  function reasonList(decision) {
    return current.querySelector(
      'form[data-decision="' + decision + '"] select[name="reasonCode"]',
    );
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    // Enter in a reason list sends its form (a select does not do that by itself).
    if (
      event.key === 'Enter' &&
      target &&
      target.tagName === 'SELECT' &&
      target.name === 'reasonCode'
    ) {
      event.preventDefault();
      send(target.form);
      return;
    }
    if (typing(target)) return;
    var key = event.key.toLowerCase();
    if (key === 'v' || key === 'r') {
      var list = reasonList(key === 'v' ? 'verify' : 'reject');
      if (!list) return;
      event.preventDefault();
      list.scrollIntoView({ block: 'center' });
      list.focus();
    } else if (key === 'n') {
      event.preventDefault();
      send(document.getElementById('release-form'));
    }
  });
})();
