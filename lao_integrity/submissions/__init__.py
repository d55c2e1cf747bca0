"""Every create and every irreversible action is accepted once per form submission.

Three clicks on "บันทึก" on a slow link used to make three identical projects. Now:

* A POST form carries ``{% form_tokens %}`` (templatetags/submissions.py) instead of
  ``{% csrf_token %}``: the CSRF token and a hidden one-time submission token. The template
  writes a placeholder; ``SubmissionTokenMiddleware`` gives every form of every response a fresh
  random token, so a page kept by the page cache (lao_integrity/pagecache) never hands out the
  same token twice.
* A view that creates or does something irreversible is decorated with
  ``@once_per_submission`` (once.py). Its POST must carry a well-formed token (else HTTP 400 with
  a Thai page). The token is recorded in the ``Submission`` table in the same transaction as the
  view's write: a submission that did nothing (a form with errors, a refusal) leaves the token
  usable; a second submission of the same form waits at the insert until the first has
  committed, fails on the primary key, and is sent where the first went with "แบบฟอร์มนี้ถูกส่ง
  ไปแล้ว …", never making a second record.
* static/js/forms.js disables a POST form's buttons after the first submit and shows
  "กำลังบันทึก…"; without JavaScript the form still works and the server still refuses repeats.

tests/kernel/submissions/test_submissions.py walks the URLconf: every POST view is a one-time view (and proved to
act once when posted twice), or listed as an edit or delete with the reason it needs no token.
"""
