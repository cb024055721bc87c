package api

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/notify"
)

// The notifications fragment (openapi.d/notifications.json) describes what
// the routes encode, field by field: required exactly when always encoded.
func TestOpenAPINotificationsFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
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
		"NotifyDeliveryPage":   page[deliveryView]{},
	}
	// NotifyMarked and NotifyTemplateList are encoded from maps, with no Go type to compare.
	fragment{responses: types, mayOmitRequired: map[string]bool{"Webhook.secret": true},
		requests: map[string]any{"NotifyTemplateRequest": templateRequest{}, "NotifyPreferencesRequest": preferencesRequest{}},
		enums: []enumWant{
			{"#/components/schemas/NotifyChannel/enum", strs(notify.Channels)},
			{"#/components/schemas/NotifyStatus/enum", strs([]notify.Status{notify.Queued, notify.Sending, notify.Sent, notify.Delivered, notify.Dead})},
			{"#/components/schemas/NotifyKind/enum", strs(append(slices.Clone(notify.Kinds), notify.KindSignIn))},
		}}.check(t, doc)
}
