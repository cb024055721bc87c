-- +goose Up
-- A department's head (部门负责人) is one of its reviewers marked by an
-- administrator: the SLA breach notice and the escalations that name the
-- department head go to them.
ALTER TABLE users ADD COLUMN department_head BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX users_department_head ON users (department_code) WHERE department_head;

-- +goose Down
DROP INDEX users_department_head;
ALTER TABLE users DROP COLUMN department_head;
