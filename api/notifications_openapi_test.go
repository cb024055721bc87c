package api

import (
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/onewindow/onewindow/notify"
)

// The notifications fragment (openapi.d/notifications.json) describes what
// the routes encode, field by field: required exactly when always encoded.
func TestOpenAPINotificationsFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	types := map[string]any{
		"NotifyDelivery":       deliveryView{},
		"NotifyInboxPage":      inboxPage{},
		"NotifyPreferences":    notify.Preferences{},
		"NotifyTemplate":       notify.Template{},
		"NotifyEvent":          templateEvent{},
		"NotifyRendered":       notify.Rendered{},
		"NotifyChannelFigures": notify.ChannelFigures{},
		"NotifyFigures":        notifyFiguresOut{},
		"Webhook":              notify.Subscriber{},
	}
	for _, name := range slices.Sorted(maps.Keys(types)) {
		t.Run(name, func(t *testing.T) {
			s, ok := schemas[name]
			if !ok {
				t.Fatalf("components/schemas/%s is missing", name)
			}
			props, required := schemaFields(t, doc, s)
			all, always := jsonFields(reflect.TypeOf(types[name]))
			for f := range all {
				if !props[f] {
					t.Errorf("JSON field %q is not a property of the schema", f)
				}
			}
			for p := range props {
				if !all[p] {
					t.Errorf("property %q is not a JSON field of %T", p, types[name])
				}
			}
			for f := range always {
				if !required[f] && !(name == "Webhook" && f == "secret") {
					t.Errorf("%q is always present but not required", f)
				}
			}
			for r := range required {
				if !always[r] {
					t.Errorf("%q is required but may be left out", r)
				}
			}
		})
	}
}
