-- +goose Up
-- The hall (取号 / 叫号 / 预约): ticket categories, windows, tickets, the
-- display board, opening hours, appointment slots, staff skills and the duty
-- roster. Days are civil dates in China (YYYY-MM-DD); instants are UTC text
-- (store.TimeFormat), so that they sort as time does on both engines.

-- Per-point settings; a point without a row uses the defaults of the code.
CREATE TABLE hall_settings (
    point_code             TEXT PRIMARY KEY,
    fairness_minutes       INTEGER NOT NULL,
    no_show_after_recalls  INTEGER NOT NULL,
    no_show_limit          INTEGER NOT NULL,
    no_show_window_days    INTEGER NOT NULL,
    no_show_block_days     INTEGER NOT NULL,
    check_in_early_minutes INTEGER NOT NULL,
    updated_at             TEXT NOT NULL
);

-- Ticket categories of a point; code is the letter that begins its numbers.
CREATE TABLE hall_categories (
    point_code TEXT NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    name_en    TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (point_code, code)
);

-- Windows and who is signed in at each. categories is written ",A,B," so that
-- LIKE '%,A,%' finds one value on either engine. A person staffs at most one
-- window at a time (NULLs do not collide in a unique index on either engine).
CREATE TABLE hall_windows (
    point_code   TEXT NOT NULL,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    categories   TEXT NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE,
    sort_order   INTEGER NOT NULL DEFAULT 0,
    staff_id     BIGINT,
    staff_name   TEXT NOT NULL DEFAULT '',
    signed_in_at TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (point_code, code)
);
CREATE UNIQUE INDEX hall_windows_staff ON hall_windows (staff_id);

-- Ticket numbers are allocated per point, category and day from this counter
-- inside the taking transaction, so that no two processes give one number twice.
CREATE TABLE hall_counters (
    point_code TEXT NOT NULL,
    category   TEXT NOT NULL,
    day        TEXT NOT NULL,
    last       INTEGER NOT NULL,
    PRIMARY KEY (point_code, category, day)
);

-- Tickets. queued_at is the place in the queue: the time the ticket was
-- taken, kept when it is transferred. No identity number is kept: priority
-- is decided when the ticket is taken.
CREATE TABLE hall_tickets (
    id              {{id}},
    point_code      TEXT NOT NULL,
    day             TEXT NOT NULL,
    category        TEXT NOT NULL,
    number          TEXT NOT NULL,
    status          TEXT NOT NULL,
    priority        TEXT NOT NULL DEFAULT '',
    source          TEXT NOT NULL,
    user_id         BIGINT,
    holder_name     TEXT NOT NULL DEFAULT '',
    appointment_id  BIGINT,
    target_window   TEXT NOT NULL DEFAULT '',
    queued_at       TEXT NOT NULL,
    taken_at        TEXT NOT NULL,
    first_called_at TEXT NOT NULL DEFAULT '',
    called_at       TEXT NOT NULL DEFAULT '',
    calls           INTEGER NOT NULL DEFAULT 0,
    window_code     TEXT NOT NULL DEFAULT '',
    staff_id        BIGINT,
    started_at      TEXT NOT NULL DEFAULT '',
    finished_at     TEXT NOT NULL DEFAULT '',
    period          TEXT NOT NULL DEFAULT '',
    transfers       INTEGER NOT NULL DEFAULT 0,
    created_by      BIGINT,
    UNIQUE (point_code, day, number)
);
-- Calling next scans one point's waiting tickets of the day in queue order.
CREATE INDEX hall_tickets_queue ON hall_tickets (point_code, day, status, queued_at);
-- ... and, when the oldest is a normal ticket within the fairness limit, the
-- priority tickets alone.
CREATE INDEX hall_tickets_priority ON hall_tickets (point_code, day, status, queued_at) WHERE priority <> '';
CREATE INDEX hall_tickets_window ON hall_tickets (point_code, window_code, status);
-- One open ticket per account, point and day.
CREATE UNIQUE INDEX hall_tickets_one_open ON hall_tickets (user_id, point_code, day)
    WHERE status IN ('waiting', 'called', 'serving');

-- The cases a visit produced (one visit, several items). A case belongs to
-- at most one visit; its number and item name are copied for the hall's lists.
CREATE TABLE hall_ticket_cases (
    ticket_id   BIGINT NOT NULL REFERENCES hall_tickets (id),
    case_id     BIGINT NOT NULL UNIQUE,
    case_number TEXT NOT NULL,
    item_name   TEXT NOT NULL,
    linked_by   BIGINT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (ticket_id, case_id)
);

-- The display board's event stream. seq is allocated per point from
-- hall_board_heads inside the writing transaction; the head row stays locked
-- until commit, so events become visible in seq order and a reader polling
-- "seq > last" never skips one that commits late.
CREATE TABLE hall_board_heads (
    point_code TEXT PRIMARY KEY,
    last       BIGINT NOT NULL
);
CREATE TABLE hall_board_events (
    point_code TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    at         TEXT NOT NULL,
    kind       TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (point_code, seq)
);

-- Weekly opening hours: weekday 1 (Monday) … 7 (Sunday); kind regular, lunch
-- (午间不间断) or extended (延时办); opens and closes as HH:MM in China time.
CREATE TABLE hall_hours (
    point_code TEXT NOT NULL,
    weekday    INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    opens      TEXT NOT NULL,
    closes     TEXT NOT NULL,
    PRIMARY KEY (point_code, weekday, kind, opens)
);

-- Appointment slots. booked only grows through
-- "UPDATE … SET booked = booked + 1 WHERE booked < capacity", so concurrent
-- bookings never overbook; the CHECK is a last guard.
CREATE TABLE hall_slots (
    id         {{id}},
    point_code TEXT NOT NULL,
    category   TEXT NOT NULL,
    day        TEXT NOT NULL,
    starts     TEXT NOT NULL,
    ends       TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    booked     INTEGER NOT NULL DEFAULT 0,
    UNIQUE (point_code, category, day, starts),
    CHECK (booked >= 0 AND booked <= capacity)
);
CREATE INDEX hall_slots_day ON hall_slots (point_code, day, category);

CREATE TABLE hall_appointments (
    id         {{id}},
    code       TEXT NOT NULL UNIQUE,
    slot_id    BIGINT NOT NULL REFERENCES hall_slots (id),
    point_code TEXT NOT NULL,
    category   TEXT NOT NULL,
    day        TEXT NOT NULL,
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    name       TEXT NOT NULL,
    status     TEXT NOT NULL,
    ticket_id  BIGINT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX hall_appointments_user ON hall_appointments (user_id, status, ends_at);
CREATE INDEX hall_appointments_point ON hall_appointments (point_code, day, status);
-- One booking per account, point, category and day.
CREATE UNIQUE INDEX hall_appointments_one_per_day ON hall_appointments (user_id, point_code, category, day)
    WHERE status = 'booked';

-- What a member of staff may handle: every item (全科, a generalist) or the
-- listed categories and items, written ",A,B," like the windows' categories.
CREATE TABLE hall_skills (
    user_id    BIGINT PRIMARY KEY,
    user_name  TEXT NOT NULL,
    point_code TEXT NOT NULL,
    all_items  BOOLEAN NOT NULL DEFAULT FALSE,
    categories TEXT NOT NULL DEFAULT ',',
    items      TEXT NOT NULL DEFAULT ',',
    updated_at TEXT NOT NULL
);
CREATE INDEX hall_skills_point ON hall_skills (point_code);

-- The duty roster (值班表): who is on duty at a point on a day; starts and
-- ends (HH:MM) are empty for the whole of the point's opening hours.
CREATE TABLE hall_roster (
    point_code TEXT NOT NULL,
    day        TEXT NOT NULL,
    user_id    BIGINT NOT NULL,
    user_name  TEXT NOT NULL,
    starts     TEXT NOT NULL DEFAULT '',
    ends       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (point_code, day, user_id)
);

-- +goose Down
DROP TABLE hall_roster;
DROP TABLE hall_skills;
DROP TABLE hall_appointments;
DROP TABLE hall_slots;
DROP TABLE hall_hours;
DROP TABLE hall_board_events;
DROP TABLE hall_board_heads;
DROP TABLE hall_ticket_cases;
DROP TABLE hall_tickets;
DROP TABLE hall_counters;
DROP TABLE hall_windows;
DROP TABLE hall_categories;
DROP TABLE hall_settings;
