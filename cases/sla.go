package cases

import (
	"math"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/workday"
)

// SpecialProcedures pause the clock while they run (特别程序: time spent on
// them does not count towards the limit).
var SpecialProcedures = map[string]apperr.Msg{
	"hearing":         apperr.M("听证", "hearing"),
	"testing":         apperr.M("检验检测", "testing"),
	"expert_review":   apperr.M("专家评审", "expert review"),
	"site_inspection": apperr.M("现场勘查", "site inspection"),
	"public_notice":   apperr.M("公示", "public notice"),
}

// SLA statuses.
const (
	SLANone       = ""          // not accepted yet: no clock
	SLAOnTime     = "on_time"   // 正常
	SLAWarning    = "warning"   // 预警
	SLAOverdue    = "overdue"   // 超期
	SLAPaused     = "paused"    // 暂停: 补正 or a special procedure
	SLADoneOnTime = "done"      // decided within the promised limit
	SLADoneLate   = "done_late" // decided after it
)

// SLA is where a case stands against its promised limit.
type SLA struct {
	Status        string `json:"status"`
	Due           string `json:"due,omitempty"`
	RemainingDays int    `json:"remaining_days"` // working days left after today; negative when overdue
	Fallback      bool   `json:"calendar_fallback,omitempty"`
}

// SLAStatuses lists the statuses a work queue can be filtered by.
var SLAStatuses = []string{SLAOnTime, SLAWarning, SLAOverdue, SLAPaused}

// warnThreshold is how many working days left put a case in warning.
func warnThreshold(limit, days int, fraction float64) int {
	return max(days, int(math.Floor(float64(limit)*fraction)))
}

// backWorkdays returns the n-th working day before d (d itself when n is 0).
func backWorkdays(cal workday.Calendar, d time.Time, n int) time.Time {
	for k := 0; k < n; {
		d = d.AddDate(0, 0, -1)
		if cal.Day(d).Workday {
			k++
		}
	}
	return d
}

// warnFrom is the first day on which the case has at most the warning
// threshold of working days left.
func (s *Service) warnFrom(c *Case) string {
	due, err := workday.ParseDate(c.PromisedDue)
	if err != nil {
		return ""
	}
	return workday.FormatDate(backWorkdays(s.calendar, due, warnThreshold(c.PromisedLimit+c.ExtendedDays, s.WarnDays, s.WarnFraction)))
}

// ComputeSLA tells where c stands on today.
func ComputeSLA(c *Case, today time.Time, cal workday.Calendar) SLA {
	if c.PromisedDue == "" {
		return SLA{Status: SLANone}
	}
	due, err := workday.ParseDate(c.PromisedDue)
	if err != nil {
		return SLA{Status: SLANone}
	}
	out := SLA{Due: c.PromisedDue, Fallback: c.CalendarFallback}
	if c.DecidedAt != nil {
		decided := workday.DateOf(*c.DecidedAt)
		out.Status = SLADoneOnTime
		if decided.After(due) {
			out.Status = SLADoneLate
		}
		return out
	}
	switch c.State {
	case Withdrawn, Terminated, NotAccepted:
		return SLA{Status: SLANone}
	}
	if today.After(due) {
		n, fb := cal.Between(due, today)
		out.RemainingDays, out.Fallback = -n, out.Fallback || fb
	} else {
		n, fb := cal.Between(today, due)
		out.RemainingDays, out.Fallback = n, out.Fallback || fb
	}
	switch {
	case c.PausedSince != "":
		out.Status = SLAPaused
	case today.After(due):
		out.Status = SLAOverdue
	case c.WarnFrom != "" && workday.FormatDate(today) >= c.WarnFrom:
		out.Status = SLAWarning
	default:
		out.Status = SLAOnTime
	}
	return out
}

// SLA returns where c stands today on the service's calendar.
func (s *Service) SLA(c *Case) SLA {
	return ComputeSLA(c, workday.DateOf(s.Now()), s.calendar)
}
