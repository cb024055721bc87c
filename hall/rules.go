package hall

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/ident"
)

// chinaTime is China Standard Time, fixed so that no tzdata is needed: the
// hall's hours, days and ticket numbers are all in local civil time.
var chinaTime = time.FixedZone("CST", 8*3600)

// DayOf returns the civil date (YYYY-MM-DD) in China of an instant.
func DayOf(t time.Time) string { return t.In(chinaTime).Format("2006-01-02") }

// TicketNumber renders the seq-th ticket of a category on a day: A001 …
// A999, then A1000 and on, so that a busy day never wraps to a number in use.
func TicketNumber(category string, seq int) string {
	return fmt.Sprintf("%s%03d", category, seq)
}

// Priority kinds: who is called before the normal queue (绿色通道).
const (
	PriorityNone        = ""
	PriorityAppointment = "appointment" // checked in for an appointment (预约办)
	PriorityServiceman  = "serviceman"  // 军人、退役军人优先
	PriorityDisabled    = "disabled"    // people with disabilities
	PriorityElderly     = "elderly"     // aged ElderlyAge or more
)

// ElderlyAge is the age in full years (周岁) from which a resident is called
// first; it is read from the birth date in the 居民身份证 number.
const ElderlyAge = 70

// Claim is what is known about a person when they take a ticket. Disability
// and service claims are honoured only where staff can see the certificate
// (the front desk); the kiosk and the phone can only read an ID number.
type Claim struct {
	IDNumber    string
	Disabled    bool
	Serviceman  bool
	Appointment bool
}

// PriorityOf returns the priority a claim earns on a civil date, or
// PriorityNone. Every priority ranks the same; the kind is kept for the numbers.
func PriorityOf(c Claim, on time.Time) string {
	switch {
	case c.Appointment:
		return PriorityAppointment
	case c.Serviceman:
		return PriorityServiceman
	case c.Disabled:
		return PriorityDisabled
	}
	if c.IDNumber != "" {
		if age, ok := ident.Age(c.IDNumber, on); ok && age >= ElderlyAge {
			return PriorityElderly
		}
	}
	return PriorityNone
}

// Queued is a waiting ticket as the calling order sees it.
type Queued struct {
	ID           int64
	Category     string
	Priority     string
	QueuedAt     time.Time
	TargetWindow string // set by a transfer to one window: only that window calls it
}

// overdue reports whether a normal ticket has waited longer than the
// fairness limit (0 turns the guard off).
func overdue(q Queued, now time.Time, fairness time.Duration) bool {
	return fairness > 0 && !q.QueuedAt.After(now.Add(-fairness))
}

// tier is 0 for tickets called first (priority, and normal tickets past the
// fairness limit) and 1 for the rest.
func tier(q Queued, now time.Time, fairness time.Duration) int {
	if q.Priority != PriorityNone || overdue(q, now, fairness) {
		return 0
	}
	return 1
}

// CompareQueued orders tickets as they are called: priority tickets and
// normal tickets that have waited longer than fairness first, then the rest;
// within each tier the one that has waited longest, then the lower ID. So a
// normal ticket past the limit goes before every priority ticket taken after
// it, and never before one taken earlier.
func CompareQueued(a, b Queued, now time.Time, fairness time.Duration) int {
	return cmp.Or(
		cmp.Compare(tier(a, now, fairness), tier(b, now, fairness)),
		a.QueuedAt.Compare(b.QueuedAt),
		cmp.Compare(a.ID, b.ID),
	)
}

// Eligible reports whether a window serving categories may call q.
func Eligible(q Queued, window string, categories []string) bool {
	if q.TargetWindow != "" {
		return q.TargetWindow == window
	}
	return slices.Contains(categories, q.Category)
}

// PickNext returns the ticket a window calls next, and false when none of
// the waiting tickets is for it. The database does the same in one query.
func PickNext(waiting []Queued, window string, categories []string, now time.Time, fairness time.Duration) (Queued, bool) {
	var best Queued
	found := false
	for _, q := range waiting {
		if !Eligible(q, window, categories) {
			continue
		}
		if !found || CompareQueued(q, best, now, fairness) < 0 {
			best, found = q, true
		}
	}
	return best, found
}

// Ticket states.
const (
	StatusWaiting   = "waiting"
	StatusCalled    = "called"
	StatusServing   = "serving"
	StatusDone      = "done"
	StatusNoShow    = "no_show"
	StatusCancelled = "cancelled"
)

// Ticket actions.
const (
	ActCall     = "call"
	ActRecall   = "recall"
	ActStart    = "start"
	ActFinish   = "finish"
	ActNoShow   = "no_show"
	ActTransfer = "transfer"
	ActCancel   = "cancel"
)

// TicketStatuses and TicketActions list every state and action.
var (
	TicketStatuses = []string{StatusWaiting, StatusCalled, StatusServing, StatusDone, StatusNoShow, StatusCancelled}
	TicketActions  = []string{ActCall, ActRecall, ActStart, ActFinish, ActNoShow, ActTransfer, ActCancel}
)

var ticketMoves = map[string]map[string]string{
	StatusWaiting: {ActCall: StatusCalled, ActCancel: StatusCancelled},
	StatusCalled:  {ActRecall: StatusCalled, ActStart: StatusServing, ActNoShow: StatusNoShow, ActTransfer: StatusWaiting},
	StatusServing: {ActFinish: StatusDone, ActTransfer: StatusWaiting},
}

var statusNames = map[string]apperr.Msg{
	StatusWaiting:   apperr.M("等候中", "waiting"),
	StatusCalled:    apperr.M("已叫号", "called"),
	StatusServing:   apperr.M("办理中", "being served"),
	StatusDone:      apperr.M("已办结", "done"),
	StatusNoShow:    apperr.M("已过号", "a no-show"),
	StatusCancelled: apperr.M("已取消", "cancelled"),
}

// NextStatus returns the state a ticket moves to under action, or a Conflict
// naming the current state when the action does not apply to it.
func NextStatus(from, action string) (string, error) {
	if !slices.Contains(TicketActions, action) {
		return "", apperr.Fields{apperr.Field("action", "unknown", apperr.M("未知的操作", "unknown action"))}.Err()
	}
	if to, ok := ticketMoves[from][action]; ok {
		return to, nil
	}
	name := statusNames[from]
	return "", apperr.New(apperr.Conflict, "ticket_state",
		apperr.M("该号当前"+name.ZH+"，不能执行此操作", "the ticket is "+name.EN+"; this action does not apply")).
		With("status", from)
}

// MayMarkNoShow reports whether a called ticket may be marked a no-show: it
// must have been called again (recalled) at least afterRecalls times.
func MayMarkNoShow(calls, afterRecalls int) bool { return calls-1 >= afterRecalls }

// NoShowRule blocks booking for someone who repeatedly misses appointments:
// Limit no-shows within Window block booking for Block from the last of
// them. No-shows that caused a block do not count towards the next one.
// A Limit of 0 turns the rule off.
type NoShowRule struct {
	Limit  int
	Window time.Duration
	Block  time.Duration
}

// BlockedUntil returns the end of the block in force at now, if any. noShows
// are the ends of the missed appointments, in any order.
func (r NoShowRule) BlockedUntil(noShows []time.Time, now time.Time) (time.Time, bool) {
	if r.Limit <= 0 || len(noShows) < r.Limit {
		return time.Time{}, false
	}
	ts := slices.Clone(noShows)
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	var blockEnd time.Time
	first := 0 // the earliest no-show that still counts
	for i, t := range ts {
		if t.After(now) {
			break
		}
		for first < i && !ts[first].After(t.Add(-r.Window)) {
			first++
		}
		if i-first+1 >= r.Limit {
			blockEnd = t.Add(r.Block)
			first = i + 1
		}
	}
	if now.Before(blockEnd) {
		return blockEnd, true
	}
	return time.Time{}, false
}

// Percentile returns the nearest-rank p-th percentile (0 < p <= 100) of
// values, and false for an empty list.
func Percentile(values []time.Duration, p float64) (time.Duration, bool) {
	if len(values) == 0 || p <= 0 || p > 100 {
		return 0, false
	}
	s := slices.Clone(values)
	slices.Sort(s)
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	return s[max(rank, 1)-1], true
}

// Rotate spreads staff over days, perDay a day, in turn (轮岗): day k takes
// the next perDay people after those of day k-1, starting with staff[0], so
// that over n days everyone serves within one day of an equal share.
func Rotate(staff []int64, days int, perDay int) ([][]int64, error) {
	var f apperr.Fields
	if perDay < 1 {
		f.Add("per_day", "range", apperr.M("每天值班人数至少为1", "per_day must be at least 1"))
	}
	if len(staff) < perDay {
		f.Add("staff", "too_few", apperr.M(fmt.Sprintf("轮岗人数不能少于每天值班人数（%d）", perDay),
			fmt.Sprintf("at least per_day (%d) people are needed", perDay)))
	}
	seen := map[int64]bool{}
	for i, id := range staff {
		if seen[id] {
			f.Add(fmt.Sprintf("staff[%d]", i), "duplicate", apperr.M("人员重复", "listed twice"))
		}
		seen[id] = true
	}
	if days < 0 || days > 366 {
		f.Add("days", "range", apperr.M("天数须为0–366", "days must be 0–366"))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	out := make([][]int64, days)
	next := 0
	for d := range out {
		out[d] = make([]int64, perDay)
		for j := range perDay {
			out[d][j] = staff[next%len(staff)]
			next++
		}
	}
	return out, nil
}

// Skill is what one member of staff may handle at their point.
type Skill struct {
	UserID     int64    `json:"user_id"`
	UserName   string   `json:"user_name,omitempty"`
	AllItems   bool     `json:"all_items"`            // 全科: every item the point's level allows
	Categories []string `json:"categories,omitempty"` // ticket categories they serve
	Items      []string `json:"items,omitempty"`      // item codes they may accept
}

// MayHandle reports whether someone with skill s may accept an item handled
// at itemLevels at a point of pointLevel: never an item the point's level
// does not allow; a generalist any other; a specialist only their items.
func (s Skill) MayHandle(itemCode string, itemLevels []int, pointLevel int) bool {
	if !slices.Contains(itemLevels, pointLevel) {
		return false
	}
	return s.AllItems || slices.Contains(s.Items, itemCode)
}

// MayServe reports whether someone with skill s may staff a window serving
// categories: a generalist any; a specialist only windows whose categories
// they all serve.
func (s Skill) MayServe(categories []string) bool {
	if s.AllItems {
		return true
	}
	for _, c := range categories {
		if !slices.Contains(s.Categories, c) {
			return false
		}
	}
	return true
}
