package api

import (
	"testing"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/otp"
)

// The accounts fragment describes the Go types its routes encode and decode.
func TestOpenAPIAccountsFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	fragment{
		responses: map[string]any{
			"Tracking": cases.Tracking{}, "TrackStep": cases.TrackStep{}, "TrackMaterial": cases.TrackMaterial{},
			"CodeSent": accounts.Sent{}, "Session": auth.Session{}, "DevSMS": otp.Message{},
		},
		requests: map[string]any{
			"CodeRequest": accounts.CodeRequest{}, "RegisterRequest": accounts.RegisterRequest{}, "ResetRequest": accounts.ResetRequest{},
			"ChangePasswordRequest": changePasswordRequest{},
		},
	}.check(t, doc)
}
