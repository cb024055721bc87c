package api

import (
	"slices"
	"testing"

	"github.com/onewindow/onewindow/rating"
)

// The ratings fragment (openapi.d/ratings.json) describes the Go types the
// rating routes encode and decode, field by field, and the domain's enums.
func TestOpenAPIRatingsFragmentMatchesGoTypes(t *testing.T) {
	_, doc := servedDoc(t)
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	responses := map[string]any{
		"Rating":              rating.Rating{},
		"RatingPage":          page[rating.Rating]{},
		"CaseRatingState":     rating.CaseState{},
		"LinkRatingState":     rating.LinkState{},
		"RatingPadState":      rating.PadState{},
		"RatingPadAddress":    padAddress{},
		"RatingFollowUp":      rating.FollowUp{},
		"RatingFollowUpPage":  page[rating.FollowUp]{},
		"RatingFollowUpEvent": rating.Event{},
		"RatingCounts":        rating.Counts{},
		"RatingFigureLine":    rating.Line{},
		"RatingFigures":       rating.Figures{},
		"PublicSatisfaction":  satisfaction{},
		"RatingSettingsPage":  page[rating.Settings]{},
	}
	requests := map[string]any{
		"RateRequest":        rating.RateRequest{},
		"PhoneRatingRequest": rating.PhoneRequest{},
		"PadRatingRequest":   rating.PadRequest{},
		"RatingActRequest":   rating.ActRequest{},
		"RatingSettings":     rating.Settings{},
	}
	fragment{responses: responses, requests: requests}.check(t, doc)
	enum := func(name string) []string {
		var out []string
		for _, e := range schemas[name].(map[string]any)["enum"].([]any) {
			out = append(out, e.(string))
		}
		return out
	}
	if got := enum("RatingFollowUpStatus"); !slices.Equal(got, strs(rating.Statuses)) {
		t.Errorf("statuses %v", got)
	}
	if got := enum("RatingFollowUpAction"); !slices.Equal(got, strs(rating.Actions)) {
		t.Errorf("actions %v", got)
	}
	if got := enum("RatingTag"); !slices.Equal(got, strs(rating.Tags)) {
		t.Errorf("tags %v", got)
	}
	if got := enum("RatingChannel"); !slices.Equal(got, strs(rating.Channels)) {
		t.Errorf("channels %v", got)
	}
}
