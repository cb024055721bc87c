package api

import (
	"reflect"
	"testing"

	"github.com/onewindow/onewindow/accounts"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/otp"
)

// The accounts fragment describes the Go types its routes encode and decode.
func TestOpenAPIAccountsFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	for name, v := range map[string]any{
		"Tracking": cases.Tracking{}, "TrackStep": cases.TrackStep{}, "TrackMaterial": cases.TrackMaterial{},
		"CodeSent": accounts.Sent{}, "Session": auth.Session{}, "DevSMS": otp.Message{},
		"CodeRequest": accounts.CodeRequest{}, "RegisterRequest": accounts.RegisterRequest{}, "ResetRequest": accounts.ResetRequest{},
		"ChangePasswordRequest": changePasswordRequest{},
	} {
		s, ok := schemas[name]
		if !ok {
			t.Errorf("components/schemas/%s is missing", name)
			continue
		}
		props, _ := schemaFields(t, doc, s)
		all, _ := jsonFields(reflect.TypeOf(v))
		for f := range all {
			if !props[f] {
				t.Errorf("%s: JSON field %q is not a property", name, f)
			}
		}
		for p := range props {
			if !all[p] {
				t.Errorf("%s: property %q is not a JSON field", name, p)
			}
		}
	}
}
