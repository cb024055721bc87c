// Package otp issues and checks one-time codes sent by SMS (registration,
// password reset, a new mobile number), and holds the development mailbox
// that stands in for an SMS gateway.
package otp

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/store"
)

// The rules of a code.
const (
	CodeLen  = 6
	TTL      = 5 * time.Minute
	MaxTries = 5
	// Per mobile number: one code a minute and PerNumberPerHour an hour.
	ResendAfter      = time.Minute
	PerNumberPerHour = 5
	// Per client address: PerClientPerHour codes an hour. A hall behind one
	// address registers many residents, hence more than per number.
	PerClientPerHour = 20
)

// Purpose says what a code confirms; a code of one purpose never serves another.
type Purpose string

const (
	Register    Purpose = "register"
	Reset       Purpose = "reset"
	ChangePhone Purpose = "change_phone"
)

// Sender delivers a code, or a notice in its place, to a mobile number. The
// development mailbox sends the text; the notifier (package notify) sends
// the code as a template parameter through the SMS gateway. Send is called
// after the code is stored, outside any transaction.
type Sender interface {
	Send(ctx context.Context, phone string, m Outgoing) error
}

// Outgoing is what one request sends.
type Outgoing struct {
	Purpose Purpose
	// Code is the code; empty when a notice is sent instead.
	Code string
	// Text is the whole message in both languages, for a sender that
	// sends free text.
	Text apperr.Msg
}

// Service issues and checks codes.
type Service struct {
	db     *store.DB
	sender Sender
	now    clock.Clock
	// perClient counts codes sent per client address, in this process.
	perClient auth.Limiter
}

// NewService returns a Service sending through sender on the clock clk (nil:
// the wall clock).
func NewService(db *store.DB, sender Sender, clk clock.Clock) *Service {
	if clk == nil {
		clk = clock.Wall()
	}
	return &Service{db: db, sender: sender, now: clk, perClient: auth.Limiter{MaxFailures: PerClientPerHour, Window: time.Hour}}
}

// Request asks for a code to be sent.
type Request struct {
	Purpose Purpose
	Phone   string // 11 digits, checked by the caller
	Subject string // what the code is for: an identity number, a user id
	Client  string // the client's address, for the per-client limit
	// Text is the message carrying the code.
	Text func(code string) apperr.Msg
	// Notice, when set, is sent instead of a code: the request cannot be
	// granted (the number already has an account) and must look as if it
	// were. Every code typed against it is wrong.
	Notice *apperr.Msg
	// Silent stores a code that never matches and sends nothing: a request
	// that matched no account, counted against the limits like any other.
	Silent bool
}

func errTooMany(wait time.Duration) error {
	return apperr.New(apperr.RateLimited, "too_many_codes",
		apperr.M("验证码发送过于频繁，请稍后再试", "too many codes asked for; please try again later")).
		With("retry_after", int((wait+time.Second-1)/time.Second))
}

// Send stores a new code for the request and sends it (or its notice).
// Errors: RateLimited "too_many_codes" with retry_after.
func (s *Service) Send(ctx context.Context, req Request) error {
	clientKey := "otp:" + req.Client
	if err := s.perClient.Check(clientKey); err != nil {
		wait, _ := apperr.As(err).Extra["retry_after"].(int)
		return errTooMany(time.Duration(wait) * time.Second)
	}
	now := s.now().UTC().Truncate(time.Microsecond)
	code := newCode()
	hash := ""
	if req.Notice == nil && !req.Silent {
		hash = hashCode(req.Purpose, req.Phone, req.Subject, code)
	}
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		// Per number, counted in the database so that every server agrees.
		rows, err := tx.QueryContext(ctx, `SELECT created_at FROM otp_codes WHERE phone = ? AND created_at > ? ORDER BY created_at DESC`,
			req.Phone, store.FormatTime(now.Add(-time.Hour)))
		if err != nil {
			return err
		}
		var sent []time.Time
		for rows.Next() {
			var at string
			if err := rows.Scan(&at); err != nil {
				rows.Close()
				return err
			}
			sent = append(sent, store.ParseTime(at))
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(sent) > 0 && now.Sub(sent[0]) < ResendAfter {
			return errTooMany(ResendAfter - now.Sub(sent[0]))
		}
		if len(sent) >= PerNumberPerHour {
			return errTooMany(sent[PerNumberPerHour-1].Add(time.Hour).Sub(now))
		}
		// Older codes of the purpose stop working: only the latest counts.
		if _, err := tx.ExecContext(ctx, `UPDATE otp_codes SET used_at = ? WHERE phone = ? AND purpose = ? AND `+store.NotYet(tx.Dialect(), "used_at"),
			store.FormatTime(now), req.Phone, string(req.Purpose)); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO otp_codes (purpose, phone, subject, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			string(req.Purpose), req.Phone, req.Subject, hash, store.FormatTime(now), store.FormatTime(now.Add(TTL)))
		return err
	})
	if err != nil {
		return apperr.Wrap(err, "otp: send")
	}
	s.perClient.Failure(clientKey) // counts a code sent, not a failure
	if req.Silent {
		return nil
	}
	m := Outgoing{Purpose: req.Purpose}
	if req.Notice != nil {
		m.Text = *req.Notice
	} else {
		m.Code, m.Text = code, req.Text(code)
	}
	return apperr.Wrap(s.sender.Send(ctx, req.Phone, m), "otp: deliver")
}

// Check is what Use compares.
type Check struct {
	Purpose Purpose
	Phone   string
	Subject string
	Code    string
}

// ErrCode reasons, on the field "code".
func errCode(reason string, zh, en string) error {
	return apperr.Fields{apperr.Field("code", reason, apperr.M(zh, en))}.Err()
}

var errMismatch = errors.New("otp: code mismatch")

// Use checks a code and, when it is right, marks it used and runs fn in the
// same transaction, so that the code is spent exactly when what it confirms
// is done. A wrong code counts a try (MaxTries per code). Errors, on the
// field "code": Invalid "code_wrong", "code_expired", "code_tries_exhausted".
func (s *Service) Use(ctx context.Context, c Check, fn func(tx *store.Tx) error) error {
	now := s.now().UTC()
	var rowID int64
	err := s.db.InTx(ctx, func(tx *store.Tx) error {
		var subject, hash, expires string
		var tries int
		err := tx.QueryRowContext(ctx, `SELECT id, subject, code_hash, tries, expires_at FROM otp_codes
			WHERE phone = ? AND purpose = ? AND `+store.NotYet(tx.Dialect(), "used_at")+` ORDER BY id DESC LIMIT 1`, c.Phone, string(c.Purpose)).
			Scan(&rowID, &subject, &hash, &tries, &expires)
		if errors.Is(err, sql.ErrNoRows) {
			return errCode("code_wrong", "验证码不正确，请核对或重新获取", "the code is wrong; check it or ask for a new one")
		}
		if err != nil {
			return err
		}
		if !now.Before(store.ParseTime(expires)) {
			return errCode("code_expired", "验证码已过期，请重新获取", "the code has expired; please ask for a new one")
		}
		if tries >= MaxTries {
			return errCode("code_tries_exhausted", "验证码输错次数过多，请重新获取", "too many wrong tries; please ask for a new code")
		}
		want := hashCode(c.Purpose, c.Phone, c.Subject, c.Code)
		if hash == "" || subject != c.Subject || subtle.ConstantTimeCompare([]byte(hash), []byte(want)) != 1 {
			return errMismatch
		}
		if _, err := tx.ExecContext(ctx, `UPDATE otp_codes SET used_at = ? WHERE id = ?`, store.FormatTime(now), rowID); err != nil {
			return err
		}
		return fn(tx)
	})
	if errors.Is(err, errMismatch) {
		// The try is counted outside the failed transaction.
		if err := s.db.InTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, `UPDATE otp_codes SET tries = tries + 1 WHERE id = ?`, rowID)
			return err
		}); err != nil {
			return apperr.Wrap(err, "otp: count a try")
		}
		return errCode("code_wrong", "验证码不正确，请核对或重新获取", "the code is wrong; check it or ask for a new one")
	}
	return err
}

// KeepExpiredFor is how long an expired code is kept: the per-number limit
// counts the codes of the last hour, expired ones too, so a code goes only
// once it can no longer count.
const KeepExpiredFor = time.Hour

// Purge deletes the codes that expired more than KeepExpiredFor before now
// and returns how many; the scheduler in serve calls it. Only hashes are
// kept, but a table of every code ever sent would still tell who asked for
// codes when.
func Purge(ctx context.Context, db *store.DB, now time.Time) (int64, error) {
	var n int64
	err := db.InTx(ctx, func(tx *store.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM otp_codes WHERE expires_at < ?`, store.FormatTime(now.UTC().Add(-KeepExpiredFor)))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, apperr.Wrap(err, "otp: purge")
}

// newCode returns CodeLen random digits.
func newCode() string {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return fmt.Sprintf("%0*d", CodeLen, n.Int64())
}

// hashCode is what is kept of a code: bound to its purpose, number and
// subject, so that a stored hash confirms nothing else.
func hashCode(p Purpose, phone, subject, code string) string {
	sum := sha256.Sum256([]byte("onewindow otp v1\x00" + string(p) + "\x00" + phone + "\x00" + subject + "\x00" + code))
	return hex.EncodeToString(sum[:])
}
