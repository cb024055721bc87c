package web

import (
	"fmt"
	"strings"

	"github.com/onewindow/onewindow/figures"
)

// Every chart says in one line what it shows and has its numbers as a
// table (WCAG 2.1 1.1.1): the line is the chart's description, the table
// sits under it (open on the figures page, folded on the hall's
// dashboard). Both are written here, in the page's language, so that they
// read the same without scripts; the dashboard's script refills them with
// the same templates when it refreshes.

// fill replaces each {name} of tmpl with its value; pairs are name, value.
func fill(tmpl string, pairs ...string) string {
	for i := 0; i+1 < len(pairs); i += 2 {
		tmpl = strings.ReplaceAll(tmpl, "{"+pairs[i]+"}", pairs[i+1])
	}
	return tmpl
}

// figuresSummaries are the one-line descriptions of the figures page's charts.
type figuresSummaries struct {
	Volume, Online, OnTime, Hall string
}

func summariseFigures(l Lang, rep figures.Report) figuresSummaries {
	months := fmt.Sprint(len(rep.Months))
	var out figuresSummaries
	peak := -1
	for i, m := range rep.Months {
		if peak < 0 || m.Accepted > rep.Months[peak].Accepted {
			peak = i
		}
	}
	if rep.Totals.Accepted+rep.Totals.Decided == 0 || peak < 0 {
		out.Volume = fill(l.T("figures.summary_volume_none"), "months", months)
	} else {
		out.Volume = fill(l.T("figures.summary_volume"), "months", months, "accepted", fmt.Sprint(rep.Totals.Accepted),
			"decided", fmt.Sprint(rep.Totals.Decided), "peak", rep.Months[peak].Month, "count", fmt.Sprint(rep.Months[peak].Accepted))
	}
	out.Online = rateSummary(l, rep.Totals.OnlineRate, rep.Months, func(m figures.MonthFigures) *float64 { return m.OnlineRate })
	out.OnTime = rateSummary(l, rep.Totals.OnTimeRate, rep.Months, func(m figures.MonthFigures) *float64 { return m.OnTimeRate })
	t := rep.Totals
	out.Hall = fill(l.T("figures.summary_hall"), "appointments", fmt.Sprint(t.Appointments), "kept", fmt.Sprint(t.AppointmentsKept),
		"lunch", fmt.Sprint(t.LunchServices), "extended", fmt.Sprint(t.ExtendedServices))
	return out
}

// rateSummary names a rate over the period and its highest and lowest months.
func rateSummary(l Lang, total *float64, months []figures.MonthFigures, rate func(figures.MonthFigures) *float64) string {
	high, low := -1, -1
	for i, m := range months {
		r := rate(m)
		if r == nil {
			continue
		}
		if high < 0 || *r > *rate(months[high]) {
			high = i
		}
		if low < 0 || *r < *rate(months[low]) {
			low = i
		}
	}
	if total == nil || high < 0 {
		return l.T("figures.summary_rate_none")
	}
	pct := func(r *float64) string { return fmt.Sprintf("%.1f%%", *r*100) }
	return fill(l.T("figures.summary_rate"), "total", pct(total), "high_month", months[high].Month, "high", pct(rate(months[high])),
		"low_month", months[low].Month, "low", pct(rate(months[low])))
}

// hallSummaries are the one-line descriptions of the hall dashboard's charts.
type hallSummaries struct {
	Hours, Waits, States string
}

func summariseHall(l Lang, st hallStatsView) hallSummaries {
	var out hallSummaries
	peak := -1
	for i, h := range st.PerHour {
		if peak < 0 || h.Tickets > st.PerHour[peak].Tickets {
			peak = i
		}
	}
	if st.Tickets == 0 || peak < 0 {
		out.Hours = l.T("hall_today.summary_hours_none")
	} else {
		out.Hours = fill(l.T("hall_today.summary_hours"), "total", fmt.Sprint(st.Tickets),
			"peak", fmt.Sprintf("%d:00", st.PerHour[peak].Hour), "count", fmt.Sprint(st.PerHour[peak].Tickets))
	}
	longest := -1
	for i, c := range st.Categories {
		if longest < 0 || c.WaitP50Sec > st.Categories[longest].WaitP50Sec {
			longest = i
		}
	}
	if longest < 0 || st.Categories[longest].WaitP50Sec == 0 {
		out.Waits = l.T("hall_today.summary_waits_none")
	} else {
		c := st.Categories[longest]
		out.Waits = fill(l.T("hall_today.summary_waits"), "category", c.Category+" "+c.Name,
			"p50", waitMinutes(c.WaitP50Sec), "p90", waitMinutes(c.WaitP90Sec))
	}
	most, total := -1, 0
	for i, s := range st.CasesByState {
		total += s.Cases
		if most < 0 || s.Cases > st.CasesByState[most].Cases {
			most = i
		}
	}
	if most < 0 {
		out.States = l.T("hall_today.summary_states_none")
	} else {
		out.States = fill(l.T("hall_today.summary_states"), "total", fmt.Sprint(total),
			"state", st.CasesByState[most].Label, "count", fmt.Sprint(st.CasesByState[most].Cases))
	}
	return out
}

// waitMinutes writes seconds as minutes with one decimal, as the charts do.
func waitMinutes(seconds int) string {
	return fmt.Sprintf("%.1f", float64(seconds)/60)
}
