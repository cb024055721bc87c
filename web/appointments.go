package web

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/workday"
)

// The applicant's side of the hall: booking an appointment (预约办), the
// list of one's appointments with moving and cancelling them, and taking a
// ticket for today (取号) at a point that is open now. The hall manager's
// pages are in hallmanage.go.

// onForm says whether err belongs on the form that caused it: a wrong field,
// or a state the user can change by choosing again (a full slot, a closed
// hall). Refusals, missing things and failures get the error page, which
// also audits refusals.
func onForm(err error) bool {
	switch apperr.CodeOf(err) {
	case apperr.Invalid, apperr.Conflict:
		return true
	}
	return false
}

// hhmm shows an instant as HH:MM in China time.
func hhmm(t time.Time) string { return t.In(chinaTime).Format("15:04") }

// weekdayOfDay numbers the weekday of a YYYY-MM-DD date 1 (Monday) … 7
// (Sunday); 0 when it is not a date.
func weekdayOfDay(day string) int {
	d, err := workday.ParseDate(day)
	if err != nil {
		return 0
	}
	if wd := int(d.Weekday()); wd != 0 {
		return wd
	}
	return 7
}

// HallWeekday names a weekday numbered 1 (Monday) … 7 (Sunday).
func (l Lang) HallWeekday(n int) string {
	names := [...]string{l.T("hallmgmt.weekday_1"), l.T("hallmgmt.weekday_2"), l.T("hallmgmt.weekday_3"),
		l.T("hallmgmt.weekday_4"), l.T("hallmgmt.weekday_5"), l.T("hallmgmt.weekday_6"), l.T("hallmgmt.weekday_7")}
	if n < 1 || n > 7 {
		return ""
	}
	return names[n-1]
}

// PeriodKind names a kind of opening period.
func (l Lang) PeriodKind(kind string) string {
	switch kind {
	case hall.PeriodRegular:
		return l.T("hallmgmt.period_regular")
	case hall.PeriodLunch:
		return l.T("hallmgmt.period_lunch")
	case hall.PeriodExtended:
		return l.T("hallmgmt.period_extended")
	}
	return kind
}

// ApptStatus names an appointment's status.
func (l Lang) ApptStatus(st string) string {
	switch st {
	case hall.ApptBooked:
		return l.T("appt.status_booked")
	case hall.ApptCancelled:
		return l.T("appt.status_cancelled")
	case hall.ApptCheckedIn:
		return l.T("appt.status_checked_in")
	case hall.ApptNoShow:
		return l.T("appt.status_no_show")
	}
	return st
}

// categorySet names a point's ticket categories.
type categorySet []hall.Category

// Name is the category's name in the page's language, or its code when unknown.
func (cs categorySet) Name(l Lang, code string) string {
	for _, c := range cs {
		if c.Code == code {
			return l.Name(c.Name, c.NameEN)
		}
	}
	return code
}

// Active are the categories tickets may be taken in.
func (cs categorySet) Active() []hall.Category {
	var out []hall.Category
	for _, c := range cs {
		if c.Active {
			out = append(out, c)
		}
	}
	return out
}

// apptRow is an appointment as the pages list it.
type apptRow struct {
	hall.Appointment
	PointName    string
	CategoryName string
	Starts, Ends string // HH:MM
	Changeable   bool
}

// apptRows names the points and categories of appointments.
func (w *Web) apptRows(ctx context.Context, l Lang, list []hall.Appointment) ([]apptRow, error) {
	type pointNames struct {
		name string
		cats categorySet
	}
	known := map[string]pointNames{}
	now := w.Hall.Now()
	out := make([]apptRow, len(list))
	for i, a := range list {
		pn, ok := known[a.Point]
		if !ok {
			pn.name = a.Point
			pt, err := w.Points.Get(ctx, nil, a.Point)
			switch {
			case err == nil:
				pn.name = l.Name(pt.Name, pt.NameEN)
				if pn.cats, err = w.Hall.Categories(ctx, a.Point); err != nil {
					return nil, err
				}
			case apperr.CodeOf(err) != apperr.NotFound:
				return nil, err
			}
			known[a.Point] = pn
		}
		out[i] = apptRow{Appointment: a, PointName: pn.name, CategoryName: pn.cats.Name(l, a.Category), Starts: hhmm(a.StartsAt), Ends: hhmm(a.EndsAt),
			Changeable: a.Changeable(now)}
	}
	return out, nil
}

// slotDay is a day of the booking calendar with the places still free.
type slotDay struct {
	Day     string
	Weekday int
	Free    int
}

// slotRow is one slot as offered: its places left, and whether it may be chosen.
type slotRow struct {
	hall.Slot
	CategoryName string
	Bookable     bool
}

// slotChoice is the part of the booking and moving pages where a day and
// then a slot of the point are chosen.
type slotChoice struct {
	Point  network.Point
	Days   []slotDay
	Day    string
	Slots  []slotRow
	SlotID int64 // the slot chosen, shown again after an error
}

// slotChoice offers the point's slots of the coming days: the requested
// day when it has free places, else the first that has.
func (w *Web) slotChoice(ctx context.Context, l Lang, pt network.Point, day string, chosen int64) (slotChoice, error) {
	c := slotChoice{Point: pt, SlotID: chosen}
	now := w.Hall.Now()
	today := hall.DayOf(now)
	start, err := workday.ParseDate(today)
	if err != nil {
		return c, apperr.Wrap(err, "web: today")
	}
	all, err := w.Hall.Slots(ctx, pt.Code, hall.SlotFilter{From: today, To: workday.FormatDate(start.AddDate(0, 0, hall.BookingDays))})
	if err != nil {
		return c, err
	}
	cats, err := w.Hall.Categories(ctx, pt.Code)
	if err != nil {
		return c, err
	}
	// A slot that has begun by the server's clock is not offered at all.
	all = slices.DeleteFunc(all, func(sl hall.Slot) bool { return sl.Started(now) })
	for _, sl := range all {
		if n := len(c.Days); n == 0 || c.Days[n-1].Day != sl.Day {
			c.Days = append(c.Days, slotDay{Day: sl.Day, Weekday: weekdayOfDay(sl.Day)})
		}
		if sl.Bookable(now) {
			c.Days[len(c.Days)-1].Free += sl.Free
		}
	}
	if !slices.ContainsFunc(c.Days, func(d slotDay) bool { return d.Day == day && d.Free > 0 }) {
		day = ""
		if i := slices.IndexFunc(c.Days, func(d slotDay) bool { return d.Free > 0 }); i >= 0 {
			day = c.Days[i].Day
		}
	}
	c.Day = day
	for _, sl := range all {
		if sl.Day == day {
			c.Slots = append(c.Slots, slotRow{Slot: sl, CategoryName: categorySet(cats).Name(l, sl.Category), Bookable: sl.Bookable(now)})
		}
	}
	return c, nil
}

// bookData is the booking page: the points that take bookings, then the
// chosen point's days and slots. Moving an appointment uses the same page
// with the appointment moved and its point's slots.
type bookData struct {
	Points   []network.Point
	Choice   *slotChoice // nil until a point is chosen
	Item     string      // the item the visit is for, optional
	ItemName string
	// ItemQ is what was typed in the item picker; Choices what it offers.
	ItemQ   string
	Choices itemChoices
	Moving  *apptRow
}

// PointCode is the chosen point's code, "" before one is chosen.
func (d bookData) PointCode() string {
	if d.Choice == nil {
		return ""
	}
	return d.Choice.Point.Code
}

// Action is where the slot form is sent.
func (d bookData) Action() string {
	if d.Moving != nil {
		return fmt.Sprintf("/appointments/%s/%d/move", url.PathEscape(d.Moving.Point), d.Moving.ID)
	}
	return "/appointments/book"
}

// DayURL is the address of the page showing the slots of day.
func (d bookData) DayURL(day string) string {
	q := url.Values{"day": {day}}
	if d.Moving != nil {
		return d.Action() + "?" + q.Encode()
	}
	q.Set("point", d.PointCode())
	if d.Item != "" {
		q.Set("item", d.Item)
	}
	return "/appointments/book?" + q.Encode()
}

func (w *Web) bookData(ctx context.Context, l Lang, point, day, item string, slot int64) (bookData, error) {
	pts, err := w.Hall.HallPoints(ctx, true)
	if err != nil {
		return bookData{}, err
	}
	d := bookData{Points: pts, Item: item, Choices: itemChoices{L: l}}
	if point != "" {
		pt, err := w.Points.Get(ctx, nil, point)
		if err != nil {
			return d, err
		}
		c, err := w.slotChoice(ctx, l, pt, day, slot)
		if err != nil {
			return d, err
		}
		d.Choice = &c
	}
	if item != "" {
		if it, err := w.Catalog.Published(ctx, item); err == nil {
			d.ItemName = l.Name(it.Name, it.NameEN)
			d.Choices.Chosen = &it
			// Booking for an item offers the points that handle it.
			d.Points = slices.DeleteFunc(d.Points, func(p network.Point) bool { return !it.HandledAt(p.Level) })
		}
	}
	return d, nil
}

// bookPage lets an applicant choose a point, a day and a free slot.
func (w *Web) bookPage(ctx context.Context, c *call) (bookData, error) {
	return w.bookData(ctx, c.L, c.Query("point"), c.Query("day"), strings.TrimSpace(c.Query("item")), 0)
}

func errChoosePoint() error {
	return apperr.Fields{apperr.Field("point", "required", apperr.M("请选择服务网点", "choose a service point"))}.Err()
}

// itemAt checks the item an applicant names for the visit: published, and
// handled at the point's level.
func (w *Web) itemAt(ctx context.Context, code string, pt network.Point) (catalog.Item, error) {
	it, err := w.Catalog.Published(ctx, code)
	if apperr.CodeOf(err) == apperr.NotFound || apperr.CodeOf(err) == apperr.Invalid {
		return it, apperr.Fields{apperr.Field("item", "unknown", apperr.M("没有这个事项编码，请到办事指南查找",
			"no published item has this code; look it up in the service guide"))}.Err()
	}
	if err != nil {
		return it, err
	}
	if !it.HandledAt(pt.Level) {
		return it, apperr.Fields{apperr.Field("item", "not_here", apperr.M("该事项不在这一级网点办理，请选择其他网点",
			"this item is not handled at points of this level; choose another point"))}.Err()
	}
	return it, nil
}

// book books the chosen slot and shows the confirmation; a full slot, a
// block for missed appointments or a bad choice shows the page again with
// the reason.
func (w *Web) book(ctx context.Context, c *call) (answer, error) {
	point, day, item := c.Form("point"), c.Form("day"), c.Trim("item")
	slot, _ := strconv.ParseInt(c.Form("slot_id"), 10, 64)
	typed := c.Trim("item_q")
	fail := func(err error) (answer, error) {
		return onFormOnly(err, func() (answer, error) {
			d, err := w.bookData(ctx, c.L, point, day, item, slot)
			if err != nil {
				return nil, err
			}
			d.ItemQ = typed
			if typed != "" {
				if d.Choices, err = w.searchChoices(ctx, c.L, typed, item); err != nil {
					return nil, err
				}
			}
			return page{Name: "appt_book", Title: "appt.book_title", Data: d}, nil
		}), err
	}
	var err error
	if item == "" && typed != "" {
		// Typed but not chosen (no scripts): the one item found, if one.
		if item, err = w.resolveTyped(ctx, c.L, typed); err != nil {
			return fail(err)
		}
	}
	if point == "" {
		return fail(errChoosePoint())
	}
	pt, err := w.Points.Get(ctx, nil, point)
	if apperr.CodeOf(err) == apperr.NotFound {
		point = ""
		return fail(errChoosePoint())
	}
	if err != nil {
		return nil, err
	}
	if item != "" {
		if _, err := w.itemAt(ctx, item, pt); err != nil {
			return fail(err)
		}
	}
	a, err := w.Hall.Book(ctx, c.User, pt.Code, hall.BookRequest{SlotID: slot})
	if err != nil {
		return fail(err)
	}
	target := fmt.Sprintf("/appointments/%s/%d?done=booked", url.PathEscape(pt.Code), a.ID)
	if item != "" {
		target += "&item=" + url.QueryEscape(item)
	}
	return seeOther(target), nil
}

// apptListData is the applicant's appointments: those still to come, which
// may be moved or cancelled, and the rest.
type apptListData struct {
	Upcoming []apptRow
	Past     []apptRow
}

func (w *Web) apptList(ctx context.Context, c *call) (apptListData, error) {
	list, err := w.Hall.MyAppointments(ctx, c.User)
	if err != nil {
		return apptListData{}, err
	}
	rows, err := w.apptRows(ctx, c.L, list)
	if err != nil {
		return apptListData{}, err
	}
	var d apptListData
	for _, a := range rows {
		if a.Changeable {
			d.Upcoming = append(d.Upcoming, a)
		} else {
			d.Past = append(d.Past, a)
		}
	}
	// The next appointment first; past ones latest first, as listed.
	slices.Reverse(d.Upcoming)
	return d, nil
}

// myAppointments lists the applicant's appointments at every point.
func (w *Web) myAppointments(ctx context.Context, c *call) (answer, error) {
	d, err := w.apptList(ctx, c)
	if err != nil {
		return nil, err
	}
	return page{Name: "appt_list", Title: "appt.list_title", Data: d, Flash: c.Flash(map[string]string{"cancelled": "appt.cancelled"})}, nil
}

// apptShowData is one appointment with how to check in, and what to bring
// when the applicant named the item.
type apptShowData struct {
	Appt         apptRow
	Point        network.Point
	CheckInFrom  string // HH:MM
	EarlyMinutes int
	Item         *catalog.Item
}

// apptShow is the booking confirmation: the code to check in with, when and
// where, and how.
func (w *Web) apptShow(ctx context.Context, c *call) (answer, error) {
	a, err := w.Hall.Appointment(ctx, c.User, c.Path("point"), c.ID)
	if err != nil {
		return nil, err
	}
	rows, err := w.apptRows(ctx, c.L, []hall.Appointment{a})
	if err != nil {
		return nil, err
	}
	pt, err := w.Points.Get(ctx, nil, a.Point)
	if err != nil {
		return nil, err
	}
	st, err := w.Hall.Settings(ctx, a.Point)
	if err != nil {
		return nil, err
	}
	d := apptShowData{Appt: rows[0], Point: pt, EarlyMinutes: st.CheckInEarlyMinutes,
		CheckInFrom: hhmm(a.StartsAt.Add(-time.Duration(st.CheckInEarlyMinutes) * time.Minute))}
	if code := c.Query("item"); code != "" {
		if it, err := w.itemAt(ctx, code, pt); err == nil {
			d.Item = &it
		}
	}
	return page{Name: "appt_show", Title: "appt.show_title", Data: d,
		Flash: c.Flash(map[string]string{"booked": "appt.booked", "moved": "appt.moved"})}, nil
}

// apptMoveData is the moving page of the path's appointment, showing the
// slots of day.
func (w *Web) apptMoveData(ctx context.Context, c *call, day string, slot int64) (bookData, error) {
	a, err := w.Hall.Appointment(ctx, c.User, c.Path("point"), c.ID)
	if err != nil {
		return bookData{}, err
	}
	rows, err := w.apptRows(ctx, c.L, []hall.Appointment{a})
	if err != nil {
		return bookData{}, err
	}
	pt, err := w.Points.Get(ctx, nil, a.Point)
	if err != nil {
		return bookData{}, err
	}
	if day == "" {
		day = a.Day
	}
	choice, err := w.slotChoice(ctx, c.L, pt, day, slot)
	if err != nil {
		return bookData{}, err
	}
	return bookData{Choice: &choice, Moving: &rows[0]}, nil
}

// apptMovePage offers the free slots of the appointment's point.
func (w *Web) apptMovePage(ctx context.Context, c *call) (bookData, error) {
	return w.apptMoveData(ctx, c, c.Query("day"), 0)
}

// apptPath is the address of an appointment's page.
func apptPath(point string, id int64) string {
	return fmt.Sprintf("/appointments/%s/%d", url.PathEscape(point), id)
}

// apptMove moves the appointment to the chosen slot.
func (w *Web) apptMove(ctx context.Context, c *call) (answer, error) {
	slot, _ := strconv.ParseInt(c.Form("slot_id"), 10, 64)
	if _, err := w.Hall.Reschedule(ctx, c.User, c.Path("point"), c.ID, hall.BookRequest{SlotID: slot}); err != nil {
		return onFormOnly(err, func() (answer, error) {
			d, err := w.apptMoveData(ctx, c, c.Form("day"), slot)
			return page{Name: "appt_book", Title: "appt.move_title", Data: d}, err
		}), err
	}
	return seeOther(apptPath(c.Path("point"), c.ID) + "?done=moved"), nil
}

// apptCancel cancels an appointment and frees its place; when it can no
// longer be cancelled, the list says why.
func (w *Web) apptCancel(ctx context.Context, c *call) (answer, error) {
	if !confirmed(c.R) {
		// Only one's own appointment is asked about.
		if _, err := w.Hall.Appointment(ctx, c.User, c.Path("point"), c.ID); err != nil {
			return nil, err
		}
		return ask{c.L.T("appt.cancel_confirm"), c.L.T("appt.cancel_detail"), c.L.T("appt.cancel_yes"), apptPath(c.Path("point"), c.ID)}, nil
	}
	if _, err := w.Hall.CancelAppointment(ctx, c.User, c.Path("point"), c.ID); err != nil {
		return onFormOnly(err, func() (answer, error) {
			d, err := w.apptList(ctx, c)
			return page{Name: "appt_list", Title: "appt.list_title", Data: d}, err
		}), err
	}
	return seeOther("/appointments?done=cancelled"), nil
}

// weekdayHours are a point's periods on one weekday.
type weekdayHours struct {
	Weekday int
	Periods []hall.Period
}

// weekOf groups weekly hours by weekday, Monday first, each day's periods
// by opening time.
func weekOf(h hall.Hours) []weekdayHours {
	out := make([]weekdayHours, 7)
	for i := range out {
		out[i].Weekday = i + 1
	}
	for _, p := range h {
		if p.Weekday >= 1 && p.Weekday <= 7 {
			out[p.Weekday-1].Periods = append(out[p.Weekday-1].Periods, p)
		}
	}
	for i := range out {
		slices.SortFunc(out[i].Periods, func(a, b hall.Period) int { return strings.Compare(a.Opens, b.Opens) })
	}
	return out
}

// takeData is the page where an applicant takes a ticket for today.
type takeData struct {
	Points     []network.Point
	Point      *network.Point
	Status     hall.OpenStatus
	Week       []weekdayHours
	Categories []hall.Category
	Category   string
}

// PointCode is the chosen point's code, "" before one is chosen.
func (d takeData) PointCode() string {
	if d.Point == nil {
		return ""
	}
	return d.Point.Code
}

func (w *Web) takeData(ctx context.Context, point, category string) (takeData, error) {
	pts, err := w.Hall.HallPoints(ctx, false)
	if err != nil {
		return takeData{}, err
	}
	d := takeData{Points: pts, Category: category}
	if point == "" {
		return d, nil
	}
	pt, err := w.Points.Get(ctx, nil, point)
	if err != nil {
		return d, err
	}
	d.Point = &pt
	if d.Status, err = w.Hall.Status(ctx, pt.Code, time.Time{}); err != nil {
		return d, err
	}
	h, err := w.Hall.Hours(ctx, pt.Code)
	if err != nil {
		return d, err
	}
	d.Week = weekOf(h)
	cats, err := w.Hall.Categories(ctx, pt.Code)
	if err != nil {
		return d, err
	}
	d.Categories = categorySet(cats).Active()
	return d, nil
}

// takePage shows whether the chosen point is open now, its hours, and its
// ticket categories.
func (w *Web) takePage(ctx context.Context, c *call) (takeData, error) {
	return w.takeData(ctx, c.Query("point"), "")
}

// take takes a ticket for today; a closed point or a ticket already held is
// shown on the page.
func (w *Web) take(ctx context.Context, c *call) (answer, error) {
	point, category := c.Form("point"), c.Form("category")
	fail := func(err error) (answer, error) {
		return onFormOnly(err, func() (answer, error) {
			d, err := w.takeData(ctx, point, category)
			return page{Name: "ticket_take", Title: "ticket.take_title", Data: d}, err
		}), err
	}
	if point == "" {
		return fail(errChoosePoint())
	}
	if _, err := w.Points.Get(ctx, nil, point); apperr.CodeOf(err) == apperr.NotFound {
		point = ""
		return fail(errChoosePoint())
	} else if err != nil {
		return nil, err
	}
	t, err := w.Hall.Take(ctx, c.User, point, hall.TakeRequest{Category: category})
	if err != nil {
		return fail(err)
	}
	return seeOther(fmt.Sprintf("/tickets/%s/%d", url.PathEscape(point), t.ID)), nil
}

// ticketShowData is a ticket as its holder follows it.
type ticketShowData struct {
	Ticket       hall.Ticket
	Point        network.Point
	CategoryName string
}

// Ahead is how many are called before the ticket, -1 when it is not waiting.
func (d ticketShowData) Ahead() int {
	if d.Ticket.Ahead == nil {
		return -1
	}
	return *d.Ticket.Ahead
}

// ticketShow shows the applicant's ticket: its number, and how many are
// waiting ahead or the window it was called to. The page refreshes its
// ticket part every 30 seconds.
func (w *Web) ticketShow(ctx context.Context, c *call) (ticketShowData, error) {
	t, err := w.Hall.Ticket(ctx, c.User, c.Path("point"), c.ID)
	if err != nil {
		return ticketShowData{}, err
	}
	pt, err := w.Points.Get(ctx, nil, t.Point)
	if err != nil {
		return ticketShowData{}, err
	}
	cats, err := w.Hall.Categories(ctx, t.Point)
	if err != nil {
		return ticketShowData{}, err
	}
	return ticketShowData{Ticket: t, Point: pt, CategoryName: categorySet(cats).Name(c.L, t.Category)}, nil
}
