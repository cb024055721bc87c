package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/onewindow/onewindow/rating"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/workday"
)

// demoLevels are the ratings the demo's applicants give, one per case
// issued most recently: mostly good, one bad, which opens a follow-up.
var demoLevels = []struct {
	level   int
	tags    []string
	comment string
	phone   string // left for the call-back
}{
	{5, []string{"attitude"}, "窗口工作人员很耐心", ""},
	{5, nil, "", ""},
	{4, []string{"efficiency"}, "比以前快多了", ""},
	{5, []string{"process"}, "", ""},
	{3, []string{"premises"}, "大厅座位少", ""},
	{2, []string{"efficiency"}, "等候时间太长，希望增加午间窗口", "13904350099"},
}

// LoadRatings has the applicants of the cases issued last rate them
// through their invitation links (好差评), as of now; one of the ratings
// is bad and has its follow-up on the clock. It returns how many ratings
// it gave; none when the history issued no case.
func LoadRatings(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	cal, err := workday.NewOfficial()
	if err != nil {
		return 0, err
	}
	svc := rating.NewService(db, cal, func() time.Time { return now })
	svc.Clients = nil // the demo rates on its own, not as one client in bulk
	rows, err := db.QueryContext(ctx, `SELECT id FROM cases WHERE `+store.Already(db.Dialect(), "issued_at")+` AND issued_at <= ?
		ORDER BY issued_at DESC, id DESC LIMIT ?`, store.FormatTime(now), len(demoLevels))
	if err != nil {
		return 0, fmt.Errorf("demo ratings: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return 0, fmt.Errorf("demo ratings: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	n := 0
	for i, id := range ids {
		link, err := svc.LinkFor(ctx, id, now.Add(time.Hour))
		if err != nil {
			return n, err
		}
		d := demoLevels[i]
		if _, err := svc.RateByLink(ctx, link[len(rating.LinkPath("")):], rating.RateRequest{Level: d.level, Tags: d.tags, Comment: d.comment, Phone: d.phone}, ""); err != nil {
			return n, fmt.Errorf("demo rating of case %d: %w", id, err)
		}
		n++
	}
	return n, nil
}
