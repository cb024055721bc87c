package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/store"
)

// Accounts signed in through an identity provider: the provider proves who
// the holder is, so these methods need no password from the caller.

// UnusablePasswordHash hashes a random password nobody learns: the account
// of someone who signs in through an identity provider keeps a hash (the
// column is required) that no typed password matches, until its holder
// sets one by SMS reset.
func UnusablePasswordHash() (string, error) {
	b := make([]byte, 24)
	rand.Read(b)
	hash, err := HashPassword(base64.RawURLEncoding.EncodeToString(b))
	return hash, apperr.Wrap(err, "auth: unusable password")
}

// UserByUsernameTx returns the user with a username in the caller's
// transaction, or NotFound "user_not_found".
func (s *Store) UserByUsernameTx(ctx context.Context, q store.Querier, username string) (User, error) {
	return s.userWhere(ctx, q, `username = ?`, NormalizeUsername(username))
}

// UserTx returns the user with an ID in the caller's transaction.
func (s *Store) UserTx(ctx context.Context, q store.Querier, id int64) (User, error) {
	return s.userWhere(ctx, q, `id = ?`, id)
}

// SetStaffRoleTx gives a staff account a role and its scope (validated as
// for a new account), in the caller's transaction. Errors: Invalid with
// field errors.
func (s *Store) SetStaffRoleTx(ctx context.Context, tx *store.Tx, u User, role Role, departmentCode, pointCode string) (User, error) {
	u.Role, u.DepartmentCode, u.PointCode = role, departmentCode, pointCode
	u.Normalize()
	if err := u.Validate(); err != nil {
		return User{}, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE users SET role = ?, department_code = ?, point_code = ? WHERE id = ?`,
		string(u.Role), u.DepartmentCode, u.PointCode, u.ID)
	if err != nil {
		return User{}, apperr.Wrap(err, "auth: set staff role")
	}
	return u, nil
}

// ClaimVerifiedTx hands a self-registered account to the person an
// identity provider proved to hold its ID number: the password and the
// mobile number (confirmed by whoever registered, who may be someone
// else) are dropped, every session and token is revoked, and the account
// becomes identity-verified. Call Forget after the transaction commits.
func (s *Store) ClaimVerifiedTx(ctx context.Context, tx *store.Tx, id int64, unusableHash string) error {
	_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, phone = '', identity_verified = ? WHERE id = ?`,
		unusableHash, true, id)
	if err != nil {
		return apperr.Wrap(err, "auth: claim account")
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM auth_tokens WHERE user_id = ?`, id)
	return apperr.Wrap(err, "auth: claim account")
}
