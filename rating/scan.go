package rating

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/audit"
	"github.com/onewindow/onewindow/outbox"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// ScanReport says what one scan did.
type ScanReport struct {
	Today       string      `json:"today"`
	Escalations []Escalated `json:"escalations"`
	Invitations []int64     `json:"invitations"` // the cases invited to rate
	Failures    []string    `json:"failures,omitempty"`
}

// Escalated is one overdue follow-up this scan escalated.
type Escalated struct {
	FollowUpID int64  `json:"followup_id"`
	Level      int    `json:"level"`
	Due        string `json:"due"`
}

var errSkip = errors.New("rating: not due or done already")

// Scan escalates overdue follow-ups (level 1: the call-back is late, the
// point's hall manager and the department are told; level 2: the
// rectification is late, administrators are told as well) and invites the
// applicants of cases issued three days ago and not rated. It is
// idempotent and safe in several processes at once: each escalation and
// each invitation is claimed by a row under a unique key in the
// transaction that writes its notification. One item's failure does not
// stop the others.
func (s *Service) Scan(ctx context.Context, now time.Time) (ScanReport, error) {
	today := workday.FormatDate(workday.DateOf(now))
	rep := ScanReport{Today: today, Escalations: []Escalated{}, Invitations: []int64{}}
	var errs []error
	type cand struct {
		id    int64
		level int
	}
	var cands []cand
	rows, err := s.db.QueryContext(ctx, `
		SELECT f.id, 1 FROM rating_followups f
		WHERE f.status = 'open' AND f.contact_due <> '' AND f.contact_due < ?
		AND NOT EXISTS (SELECT 1 FROM rating_escalations e WHERE e.followup_id = f.id AND e.level = 1)
		UNION ALL
		SELECT f.id, 2 FROM rating_followups f
		WHERE f.status IN ('open', 'contacted', 'contested') AND f.rectify_due < ?
		AND NOT EXISTS (SELECT 1 FROM rating_escalations e WHERE e.followup_id = f.id AND e.level = 2)`, today, today)
	if err != nil {
		return rep, apperr.Wrap(err, "rating: scan")
	}
	for rows.Next() {
		var c cand
		if err := rows.Scan(&c.id, &c.level); err != nil {
			rows.Close()
			return rep, apperr.Wrap(err, "rating: scan")
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return rep, apperr.Wrap(err, "rating: scan")
	}
	slices.SortFunc(cands, func(a, b cand) int { return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.level, b.level)) })
	for _, c := range cands {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		esc, err := s.escalate(ctx, c.id, c.level, now)
		switch {
		case errors.Is(err, errSkip):
		case err != nil:
			rep.Failures = append(rep.Failures, fmt.Sprintf("follow-up %d level %d: %v", c.id, c.level, err))
			errs = append(errs, err)
		default:
			rep.Escalations = append(rep.Escalations, esc)
		}
	}
	invited, err := s.invite(ctx, now)
	rep.Invitations = append(rep.Invitations, invited...)
	if err != nil {
		rep.Failures = append(rep.Failures, err.Error())
		errs = append(errs, err)
	}
	return rep, errors.Join(errs...)
}

func (s *Service) escalate(ctx context.Context, id int64, level int, now time.Time) (Escalated, error) {
	var esc Escalated
	today := workday.FormatDate(workday.DateOf(now))
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		f, err := loadFollowUp(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if !slices.Contains(DueLevels(f.Status, f.ContactDue, f.RectifyDue, today), level) {
			return errSkip
		}
		due := f.ContactDue
		if level == LevelRectify {
			due = f.RectifyDue
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO rating_escalations (followup_id, level, due, at) VALUES (?, ?, ?, ?)
			ON CONFLICT (followup_id, level) DO NOTHING`, id, level, due, store.FormatTime(now))
		if err != nil {
			return apperr.Wrap(err, "rating: claim escalation")
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errSkip
		}
		if _, err := tx.ExecContext(ctx, `UPDATE rating_followups SET escalation_level = ?, updated_at = ? WHERE id = ? AND escalation_level < ?`,
			level, store.FormatTime(now), id, level); err != nil {
			return apperr.Wrap(err, "rating: escalate")
		}
		recipients := responsibleRecipients(&f)
		if level == LevelRectify {
			recipients = append(recipients, "role:admin")
		}
		note := fmt.Sprintf("level %d, due %s", level, due)
		if err := appendEvent(ctx, tx, systemActor, id, eventEscalate, f.Status, f.Status, note, now); err != nil {
			return err
		}
		if err := outbox.Add(ctx, tx, now, fmt.Sprintf("rating.followup.overdue.level%d", level), map[string]any{"followup": id, "rating": f.RatingID, "level": level, "due": due, "status": f.Status}, recipients...); err != nil {
			return err
		}
		detail, _ := json.Marshal(map[string]any{"level": level, "due": due})
		if _, err := audit.Append(ctx, tx, audit.Record{At: now, Actor: systemActor.Username, Role: string(systemActor.Role),
			Action: "rating_followup.escalate", Object: "rating_followup:" + strconv.FormatInt(id, 10), Outcome: audit.OK,
			Detail: string(detail)}); err != nil {
			return err
		}
		esc = Escalated{FollowUpID: id, Level: level, Due: due}
		return nil
	})
	return esc, err
}

// invite writes one invitation to rate (outbox topic rating.invite, with
// the signed link) for each case issued InviteAfterDays days ago or
// earlier, within InviteUntilDays, that is not rated and not invited yet.
// Delivery is the notifications' business.
func (s *Service) invite(ctx context.Context, now time.Time) ([]int64, error) {
	today := workday.DateOf(now)
	// issued_at is a UTC instant; the days are China days, so the bounds
	// are the China midnights as instants.
	upTo := store.FormatTime(today.AddDate(0, 0, -InviteAfterDays+1).Add(-8 * time.Hour))
	from := store.FormatTime(today.AddDate(0, 0, -InviteUntilDays).Add(-8 * time.Hour))
	rows, err := s.db.QueryContext(ctx, `
		SELECT c.id FROM cases c
		WHERE `+store.Already(s.db.Dialect(), "c.issued_at")+` AND c.issued_at >= ? AND c.issued_at < ?
		AND NOT EXISTS (SELECT 1 FROM ratings r WHERE r.case_id = c.id)
		AND NOT EXISTS (SELECT 1 FROM rating_invitations i WHERE i.case_id = c.id)
		ORDER BY c.id`, from, upTo)
	if err != nil {
		return nil, apperr.Wrap(err, "rating: invitations")
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, apperr.Wrap(err, "rating: invitations")
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(err, "rating: invitations")
	}
	if len(ids) == 0 {
		return nil, nil
	}
	key, err := s.ratingKey(ctx)
	if err != nil {
		return nil, err
	}
	var done []int64
	var errs []error
	for _, id := range ids {
		err := s.db.InTx(ctx, func(tx *store.Tx) error {
			res, err := tx.ExecContext(ctx, `INSERT INTO rating_invitations (case_id, sent_at) VALUES (?, ?) ON CONFLICT (case_id) DO NOTHING`,
				id, store.FormatTime(now))
			if err != nil {
				return apperr.Wrap(err, "rating: claim invitation")
			}
			if n, _ := res.RowsAffected(); n != 1 {
				return errSkip
			}
			sub, err := loadCase(ctx, tx, `c.id = ?`, id)
			if err != nil {
				return err
			}
			var recipient string
			switch {
			case sub.ownerID != nil:
				recipient = outbox.User(*sub.ownerID)
			case sub.ownerPhone != "":
				recipient = outbox.Phone(sub.ownerPhone)
			default:
				return nil // nobody to invite; the claim keeps the scan from asking again
			}
			expires := now.Add(LinkLifetime)
			link := s.PublicURL + LinkPath(SignLink(key, id, expires))
			return outbox.Add(ctx, tx, now, "rating.invite", map[string]any{"case": sub.ref, "item": sub.itemName, "link": link, "expires": store.FormatTime(expires)}, recipient)
		})
		switch {
		case errors.Is(err, errSkip):
		case err != nil:
			errs = append(errs, fmt.Errorf("invite case %d: %w", id, err))
		default:
			done = append(done, id)
		}
	}
	return done, errors.Join(errs...)
}

// LinkPath is the page a rating link opens.
func LinkPath(token string) string { return "/rate/" + token }
