-- +goose Up
-- The web pages' work queues list, beside the open cases, the decided ones
-- waiting for their result: the review queue by department (accepted, in
-- review, to be supplemented, approved, refused) and the issuing window's
-- by point (ready for issue, approved, refused, issued). Like the open
-- queue (cases_open_queue, 00018), each is an index of its states alone in
-- the page's order, so that its first page is read in order whatever the
-- history holds; before, a department's page sorted every such case. The
-- queries name the states as literals, word for word, as SQLite needs to use
-- a partial index.
CREATE INDEX cases_review_queue ON cases (department_code, (CASE WHEN promised_due = '' THEN 1 ELSE 0 END), promised_due, id)
    WHERE state IN ('accepted', 'in_review', 'supplement_required', 'approved', 'refused');
CREATE INDEX cases_issue_queue ON cases (point_code, (CASE WHEN promised_due = '' THEN 1 ELSE 0 END), promised_due, id)
    WHERE state IN ('ready_for_issue', 'approved', 'refused', 'issued');

-- +goose Down
DROP INDEX cases_issue_queue;
DROP INDEX cases_review_queue;
