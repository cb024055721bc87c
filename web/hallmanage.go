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

// The hall manager's pages: the week's duty roster (排班) with the rotation
// helper and staff skills; the windows and opening hours with appointment
// slot generation; and the day's appointments with check-in. Each page is
// about the point named by ?point= (or the form's point field), the
// manager's own when none is named; the hall services refuse any other.

// managedPoint is the point a hall manager's page or form is about.
func managedPoint(c *call) string {
	if p := strings.TrimSpace(c.R.FormValue("point")); p != "" {
		return p
	}
	return c.User.PointCode
}

// withPoint adds the point to a page address when it is not the user's own.
func withPoint(path string, c *call, point string) string {
	if point == c.User.PointCode {
		return path
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + "point=" + url.QueryEscape(point)
}

// renameFields returns err with its field names passed through rename and
// repeated messages dropped, so that the errors the service reports on a
// list (entries[2].user_id, slots[40].capacity) land next to the one input
// of the form they came from.
func renameFields(err error, rename func(string) string) error {
	ae := apperr.As(err)
	if len(ae.Fields) == 0 {
		return err
	}
	out := *ae
	out.Fields = nil
	for _, f := range ae.Fields {
		f.Field = rename(f.Field)
		if !slices.Contains(out.Fields, f) {
			out.Fields = append(out.Fields, f)
		}
	}
	return &out
}

// formField maps the name of a list element's field to the form's input:
// entries[2].user_id → user_id, staff[1] → staff.
func formField(name string) string {
	if i := strings.LastIndex(name, "]."); i >= 0 {
		return name[i+2:]
	}
	if i := strings.Index(name, "["); i >= 0 {
		return name[:i]
	}
	return name
}

// mondayOf returns the Monday of the week of a YYYY-MM-DD date.
func mondayOf(day string) (string, error) {
	d, err := workday.ParseDate(day)
	if err != nil {
		return "", apperr.Fields{apperr.Field("week", "format", apperr.M("日期格式须为 YYYY-MM-DD", "week must be YYYY-MM-DD"))}.Err()
	}
	back := (int(d.Weekday()) + 6) % 7
	return workday.FormatDate(d.AddDate(0, 0, -back)), nil
}

func addDays(day string, n int) string {
	d, err := workday.ParseDate(day)
	if err != nil {
		return day
	}
	return workday.FormatDate(d.AddDate(0, 0, n))
}

// rosterDay is one day of the roster page: the point's hours that day and
// who is on duty.
type rosterDay struct {
	hall.DayHours
	Entries []hall.RosterEntry
}

// rosterData is the roster page. Form names the form that failed ("day:
// 2026-11-24", "rotate", "skill:12"), whose values and errors are shown
// next to its fields.
type rosterData struct {
	Point      network.Point
	Week       string // its Monday
	Prev, Next string
	Today      string
	Days       []rosterDay
	Staff      []hall.StaffMember
	Categories []hall.Category
	Form       string
	Add        hall.RosterEntry
	Rotate     hall.RotateRequest
	Skill      hall.Skill
	// SkillQ and SkillFound are the failed skill form's item search and
	// what it found, offered to choose from.
	SkillQ     string
	SkillFound []catalog.Item
	// items holds the published items the skill forms name, by code.
	items map[string]catalog.Item
}

// FailedDay says whether the add form of day is the one that failed.
func (d *rosterData) FailedDay(day string) bool { return d.Form == "day:"+day }

// FailedSkill says whether the skill form of a member of staff failed.
func (d *rosterData) FailedSkill(user int64) bool {
	return d.Form == "skill:"+strconv.FormatInt(user, 10)
}

// Rotating says whether someone is in the rotation form: when it failed, as
// sent; otherwise the generalists (全科), whom the rotation is for.
func (d *rosterData) Rotating(m hall.StaffMember) bool {
	if d.Form == "rotate" {
		return slices.Contains(d.Rotate.Staff, m.ID)
	}
	return m.Skill != nil && m.Skill.AllItems
}

// anchor is the id of the input of a field error on the form that
// failed, for the error summary: every day and every member of staff has
// a form of its own, with the same field names.
func (d *rosterData) anchor(field string) string {
	kind, key, _ := strings.Cut(d.Form, ":")
	switch kind {
	case "day":
		switch field {
		case "user_id", "starts", "ends":
			return strings.TrimSuffix(field, "_id") + "-" + key
		}
	case "rotate":
		switch field {
		case "from", "days":
			return "rotate-" + field
		case "per_day":
			return "rotate-per-day"
		case "staff":
			if len(d.Staff) > 0 {
				return "rotate-" + strconv.FormatInt(d.Staff[0].ID, 10)
			}
		}
	case "skill":
		switch field {
		case "items", "user_id":
			return "items-" + key + "-q"
		case "all_items":
			return "all-" + key
		case "categories":
			if len(d.Categories) > 0 {
				return "cat-" + key + "-" + d.Categories[0].Code
			}
		}
	}
	return ""
}

// FailedRotate says whether the rotation form is the one that failed.
func (d *rosterData) FailedRotate() bool { return d.Form == "rotate" }

// SkillOf is what the skill form of m shows: what was sent when it failed,
// else the skill recorded.
func (d *rosterData) SkillOf(m hall.StaffMember) hall.Skill {
	if d.FailedSkill(m.ID) {
		return d.Skill
	}
	if m.Skill != nil {
		return *m.Skill
	}
	return hall.Skill{UserID: m.ID}
}

// SkillPicker is the item picker of m's skill form: the items m handles
// (or those sent, when the form failed), by name, ticked.
func (d *rosterData) SkillPicker(l Lang, m hall.StaffMember) itemChoices {
	c := itemChoices{L: l, Field: "items", ID: "items-" + strconv.FormatInt(m.ID, 10), Multi: true}
	for _, code := range d.SkillOf(m).Items {
		it, ok := d.items[code]
		if !ok {
			it = catalog.Item{Code: code, Name: code, NameEN: code}
		}
		c.Picked = append(c.Picked, it)
	}
	if d.FailedSkill(m.ID) {
		c.Q, c.Found, c.Searched = d.SkillQ, d.SkillFound, d.SkillQ != ""
	}
	return c
}

// nameSkillItems finds the items of the skill forms by name.
func (w *Web) nameSkillItems(ctx context.Context, d *rosterData) {
	d.items = map[string]catalog.Item{}
	codes := slices.Clone(d.Skill.Items)
	for _, m := range d.Staff {
		if m.Skill != nil {
			codes = append(codes, m.Skill.Items...)
		}
	}
	for _, code := range codes {
		if _, done := d.items[code]; !done {
			if it, err := w.Catalog.Published(ctx, code); err == nil {
				d.items[code] = it
			}
		}
	}
}

func (w *Web) rosterData(ctx context.Context, c *call, point, week string) (*rosterData, error) {
	h := w.Hall
	today := hall.DayOf(h.Now())
	if week == "" {
		week = today
	}
	monday, err := mondayOf(week)
	if err != nil {
		return nil, err
	}
	sunday := addDays(monday, 6)
	entries, err := h.Roster(ctx, c.User, point, monday, sunday)
	if err != nil {
		return nil, err
	}
	staff, err := h.Staff(ctx, c.User, point)
	if err != nil {
		return nil, err
	}
	pt, err := w.Points.Get(ctx, nil, point)
	if err != nil {
		return nil, err
	}
	days, err := h.HoursOn(ctx, point, monday, 7)
	if err != nil {
		return nil, err
	}
	cats, err := h.Categories(ctx, point)
	if err != nil {
		return nil, err
	}
	d := &rosterData{Point: pt, Week: monday, Prev: addDays(monday, -7), Next: addDays(monday, 7), Today: today,
		Staff: staff, Categories: cats, Rotate: hall.RotateRequest{From: max(monday, today), Days: 5, PerDay: 2}}
	for _, dh := range days {
		rd := rosterDay{DayHours: dh}
		for _, e := range entries {
			if e.Day == dh.Day {
				rd.Entries = append(rd.Entries, e)
			}
		}
		d.Days = append(d.Days, rd)
	}
	return d, nil
}

// rosterPage shows a week's roster of the point, Monday to Sunday.
func (w *Web) rosterPage(ctx context.Context, c *call) (answer, error) {
	d, err := w.rosterData(ctx, c, managedPoint(c), c.Query("week"))
	if err != nil {
		return nil, err
	}
	w.nameSkillItems(ctx, d)
	return page{Name: "hall_roster", Title: "roster.title", Data: d,
		Flash: c.Flash(map[string]string{"day": "roster.saved", "rotated": "roster.rotated", "skill": "roster.skill_saved"})}, nil
}

// rosterAgain shows the roster page again with the problem of one of its
// forms, which fill marks; other problems get the error page.
func (w *Web) rosterAgain(c *call, point, week string, err error, fill func(d *rosterData)) (answer, error) {
	if !onForm(err) {
		return nil, err
	}
	return reload(func() (answer, error) {
		ctx := c.R.Context()
		d, err := w.rosterData(ctx, c, point, week)
		if err != nil {
			return nil, err
		}
		fill(d)
		w.nameSkillItems(ctx, d)
		return page{Name: "hall_roster", Title: "roster.title", Data: d, Anchor: d.anchor}, nil
	}), renameFields(err, formField)
}

// editRosterDay adds someone to a day's roster or removes them: the day is
// written again as a whole, as the service keeps it.
func (w *Web) editRosterDay(ctx context.Context, c *call) (answer, error) {
	h := w.Hall
	point, day := managedPoint(c), c.Form("day")
	user, _ := strconv.ParseInt(c.Form("user_id"), 10, 64)
	current, err := h.Roster(ctx, c.User, point, day, day)
	if err != nil {
		return nil, err
	}
	entries := make([]hall.RosterEntry, 0, len(current)+1)
	for _, e := range current {
		entries = append(entries, hall.RosterEntry{UserID: e.UserID, Starts: e.Starts, Ends: e.Ends})
	}
	added := hall.RosterEntry{Day: day, UserID: user, Starts: c.Trim("starts"), Ends: c.Trim("ends")}
	fill := func(d *rosterData) { d.Form, d.Add = "day:"+day, added }
	switch c.Form("op") {
	case "add":
		if user <= 0 {
			err = apperr.Fields{apperr.Field("user_id", "required", apperr.M("请选择工作人员", "choose a member of staff"))}.Err()
			return w.rosterAgain(c, point, day, err, fill)
		}
		entries = append(entries, added)
	case "remove":
		entries = slices.DeleteFunc(entries, func(e hall.RosterEntry) bool { return e.UserID == user })
	default:
		return nil, errNoPage()
	}
	if _, err := h.PutRoster(ctx, c.User, point, day, entries); err != nil {
		return w.rosterAgain(c, point, day, err, fill)
	}
	return seeOther(withPoint("/hall/roster?week="+url.QueryEscape(day)+"&done=day", c, point)), nil
}

// rotateRoster fills the roster of the next opening days by rotation (轮岗).
func (w *Web) rotateRoster(ctx context.Context, c *call) (answer, error) {
	h := w.Hall
	point := managedPoint(c)
	req := hall.RotateRequest{From: c.Trim("from")}
	req.Days, _ = strconv.Atoi(c.Form("days"))
	req.PerDay, _ = strconv.Atoi(c.Form("per_day"))
	for _, v := range c.Values("staff") {
		id, _ := strconv.ParseInt(v, 10, 64)
		req.Staff = append(req.Staff, id)
	}
	fill := func(d *rosterData) { d.Form, d.Rotate = "rotate", req }
	if len(req.Staff) == 0 {
		err := apperr.Fields{apperr.Field("staff", "required", apperr.M("请选择参加轮岗的人员", "choose who takes turns"))}.Err()
		return w.rosterAgain(c, point, c.Form("week"), err, fill)
	}
	if _, err := h.Rotate(ctx, c.User, point, req); err != nil {
		return w.rosterAgain(c, point, c.Form("week"), err, fill)
	}
	week := req.From
	if week == "" {
		week = hall.DayOf(h.Now())
	}
	return seeOther(withPoint("/hall/roster?week="+url.QueryEscape(week)+"&done=rotated", c, point)), nil
}

// splitCodes reads a list of codes separated by commas, 、 or spaces.
func splitCodes(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
}

// saveSkill records what a member of staff may handle: the items ticked in
// the item picker, and the one item its search box finds when none was
// ticked from it (no scripts, or Enter in the box); a search that finds
// several shows the form again with them to tick.
func (w *Web) saveSkill(ctx context.Context, c *call) (answer, error) {
	point := managedPoint(c)
	sk := hall.Skill{AllItems: c.Form("all_items") == "1", Categories: c.Values("categories")}
	for _, v := range c.Values("items") {
		sk.Items = append(sk.Items, splitCodes(v)...)
	}
	sk.Items = slices.Compact(sk.Items)
	sk.UserID, _ = strconv.ParseInt(c.Form("user_id"), 10, 64)
	failed := func(err error, q string, found []catalog.Item) (answer, error) {
		return w.rosterAgain(c, point, c.Form("week"), err, func(d *rosterData) {
			d.Form, d.Skill, d.SkillQ, d.SkillFound = "skill:"+strconv.FormatInt(sk.UserID, 10), sk, q, found
		})
	}
	if q := c.Trim("items_q"); q != "" {
		ch := itemChoices{L: c.L, Q: q, Multi: true, Picked: w.pickedItems(ctx, sk.Items)}
		code, problem, err := w.resolveItem(ctx, &ch, "items")
		if err != nil {
			return nil, err
		}
		if problem != nil {
			return failed(apperr.Fields{*problem}.Err(), q, ch.Found)
		}
		if code != "" && !slices.Contains(sk.Items, code) {
			sk.Items = append(sk.Items, code)
		}
	}
	if _, err := w.Hall.PutSkill(ctx, c.User, point, sk); err != nil {
		return failed(err, "", nil)
	}
	return seeOther(withPoint("/hall/roster?week="+url.QueryEscape(c.Form("week"))+"&done=skill", c, point)), nil
}

// windowForm is one window's form on the windows page.
type windowForm struct {
	hall.Window
	New    bool
	Failed bool // the form sent, shown again with its errors
}

// windowsData is the windows and hours page.
type windowsData struct {
	Point      network.Point
	Status     hall.OpenStatus
	Windows    []windowForm
	NewWindow  windowForm
	Categories []hall.Category
	// Periods are the rows of the hours form: the point's periods (or those
	// sent, after an error: row i is periods[i]) and blank rows to add.
	Periods     []hall.Period
	HoursFailed bool
	Generate    hall.GenerateSlotsRequest
	GenFailed   bool
}

// blankPeriods is how many empty rows the hours form offers for additions.
const blankPeriods = 3

// maxPeriods bounds the rows read from the hours form.
const maxPeriods = 200

func (w *Web) windowsData(ctx context.Context, c *call, point string) (*windowsData, error) {
	h := w.Hall
	windows, err := h.Windows(ctx, c.User, point)
	if err != nil {
		return nil, err
	}
	pt, err := w.Points.Get(ctx, nil, point)
	if err != nil {
		return nil, err
	}
	st, err := h.Status(ctx, point, time.Time{})
	if err != nil {
		return nil, err
	}
	hours, err := h.Hours(ctx, point)
	if err != nil {
		return nil, err
	}
	cats, err := h.Categories(ctx, point)
	if err != nil {
		return nil, err
	}
	d := &windowsData{Point: pt, Status: st, Categories: cats, Periods: hours,
		NewWindow: windowForm{Window: hall.Window{Active: true, SortOrder: len(windows) + 1}, New: true},
		Generate:  hall.GenerateSlotsRequest{From: hall.DayOf(h.Now()), WorkingDays: 5, EveryMinutes: 30, Capacity: 2}}
	if active := categorySet(cats).Active(); len(active) > 0 {
		d.Generate.Category = active[0].Code
	}
	for _, win := range windows {
		d.Windows = append(d.Windows, windowForm{Window: win})
	}
	return d, nil
}

// AllWindows are the forms of the windows and, last, the new window's.
func (d *windowsData) AllWindows() []windowForm { return append(slices.Clone(d.Windows), d.NewWindow) }

// Weekdays and PeriodKinds are the choices of the hours form.
func (d *windowsData) Weekdays() []int { return []int{1, 2, 3, 4, 5, 6, 7} }

func (d *windowsData) PeriodKinds() []string {
	return []string{hall.PeriodRegular, hall.PeriodLunch, hall.PeriodExtended}
}

// Rows are the hours form's rows: the periods and the blank ones.
func (d *windowsData) Rows() []hall.Period {
	return append(slices.Clone(d.Periods), make([]hall.Period, blankPeriods)...)
}

// windowsPage lists the point's windows, opening hours and slot generation.
func (w *Web) windowsPage(ctx context.Context, c *call) (answer, error) {
	d, err := w.windowsData(ctx, c, managedPoint(c))
	if err != nil {
		return nil, err
	}
	p := page{Name: "hall_windows", Title: "hallmgmt.title", Data: d,
		Flash: c.Flash(map[string]string{"window": "hallmgmt.window_saved", "hours": "hallmgmt.hours_saved"})}
	if c.Query("done") == "slots" {
		n, _ := strconv.Atoi(c.Query("count"))
		p.Flash = c.L.Tf("hallmgmt.slots_generated", n)
	}
	return p, nil
}

// windowsAgain shows the windows page again with one form's problem, which
// fill marks; rename maps the service's field names to the form's. Other
// problems get the error page.
func (w *Web) windowsAgain(c *call, point string, err error, rename func(string) string, fill func(d *windowsData)) (answer, error) {
	if !onForm(err) {
		return nil, err
	}
	return reload(func() (answer, error) {
		d, err := w.windowsData(c.R.Context(), c, point)
		if err != nil {
			return nil, err
		}
		fill(d)
		return page{Name: "hall_windows", Title: "hallmgmt.title", Data: d}, nil
	}), renameFields(err, rename)
}

// saveWindow adds a window or changes one.
func (w *Web) saveWindow(ctx context.Context, c *call) (answer, error) {
	h := w.Hall
	point := managedPoint(c)
	isNew := c.Form("new") == "1"
	win := hall.Window{Code: c.Trim("code"), Name: c.Form("name"), Categories: c.Values("categories"), Active: c.Form("active") == "1"}
	win.SortOrder, _ = strconv.Atoi(c.Form("sort_order"))
	failed := func(err error) (answer, error) {
		return w.windowsAgain(c, point, err, formField, func(d *windowsData) {
			if isNew {
				d.NewWindow = windowForm{Window: win, New: true, Failed: true}
				return
			}
			for i := range d.Windows {
				if d.Windows[i].Code == win.Code {
					d.Windows[i] = windowForm{Window: win, Failed: true}
				}
			}
		})
	}
	existing, err := h.Windows(ctx, c.User, point)
	if err != nil {
		return nil, err
	}
	known := slices.ContainsFunc(existing, func(x hall.Window) bool { return x.Code == win.Code })
	// The new-window form never overwrites a window by reusing its code,
	// and an edit form only changes a window that exists.
	if isNew && known {
		return failed(apperr.Fields{apperr.Field("code", "taken", apperr.M("已有这个编号的窗口", "a window with this code exists"))}.Err())
	}
	if !isNew && !known {
		return nil, apperr.NotFoundf("window_not_found", apperr.M("窗口不存在", "no such window"))
	}
	if _, err := h.PutWindow(ctx, c.User, point, win); err != nil {
		return failed(err)
	}
	return seeOther(withPoint("/hall/windows?done=window", c, point)), nil
}

// saveHours replaces the point's weekly hours with the rows of the form:
// rows ticked for removal and empty rows are left out.
func (w *Web) saveHours(ctx context.Context, c *call) (answer, error) {
	point := managedPoint(c)
	rows, _ := strconv.Atoi(c.Form("rows"))
	rows = min(max(rows, 0), maxPeriods)
	hours := hall.Hours{}
	for i := range rows {
		field := func(name string) string { return c.Trim(fmt.Sprintf("%s_%d", name, i)) }
		opens, closes := field("opens"), field("closes")
		if field("remove") == "1" || (opens == "" && closes == "") {
			continue
		}
		wd, _ := strconv.Atoi(field("weekday"))
		hours = append(hours, hall.Period{Weekday: wd, Kind: field("kind"), Opens: opens, Closes: closes})
	}
	if _, err := w.Hall.PutHours(ctx, c.User, point, hours); err != nil {
		// The rows are shown as sent, so periods[i] is row i of the form.
		keep := func(name string) string { return name }
		return w.windowsAgain(c, point, err, keep, func(d *windowsData) { d.Periods, d.HoursFailed = hours, true })
	}
	return seeOther(withPoint("/hall/windows?done=hours", c, point)), nil
}

// generateSlots cuts the opening hours of the next working days into
// appointment slots.
func (w *Web) generateSlots(ctx context.Context, c *call) (answer, error) {
	point := managedPoint(c)
	req := hall.GenerateSlotsRequest{Category: c.Form("category"), From: c.Trim("from")}
	req.WorkingDays, _ = strconv.Atoi(c.Form("working_days"))
	req.EveryMinutes, _ = strconv.Atoi(c.Form("every_minutes"))
	req.Capacity, _ = strconv.Atoi(c.Form("capacity"))
	slots, err := w.Hall.GenerateSlots(ctx, c.User, point, req)
	if err != nil {
		return w.windowsAgain(c, point, err, formField, func(d *windowsData) { d.Generate, d.GenFailed = req, true })
	}
	return seeOther(withPoint(fmt.Sprintf("/hall/windows?done=slots&count=%d", len(slots)), c, point)), nil
}

// hallApptData is the day's appointments of the point, with the slots'
// places.
type hallApptData struct {
	Point        network.Point
	Day          string
	Prev, Next   string
	Appointments []apptRow
	Slots        []slotRow
	Booked       int
	Capacity     int
}

func (w *Web) hallApptData(ctx context.Context, c *call, point, day string) (*hallApptData, error) {
	h := w.Hall
	if day == "" {
		day = hall.DayOf(h.Now())
	}
	list, err := h.Appointments(ctx, c.User, point, day)
	if err != nil {
		return nil, err
	}
	pt, err := w.Points.Get(ctx, nil, point)
	if err != nil {
		return nil, err
	}
	rows, err := w.apptRows(ctx, c.L, list)
	if err != nil {
		return nil, err
	}
	slots, err := h.Slots(ctx, point, hall.SlotFilter{From: day, To: day})
	if err != nil {
		return nil, err
	}
	cats, err := h.Categories(ctx, point)
	if err != nil {
		return nil, err
	}
	d := &hallApptData{Point: pt, Day: day, Prev: addDays(day, -1), Next: addDays(day, 1), Appointments: rows}
	now := h.Now()
	for _, sl := range slots {
		d.Slots = append(d.Slots, slotRow{Slot: sl, CategoryName: categorySet(cats).Name(c.L, sl.Category), Bookable: sl.Bookable(now)})
		d.Booked += sl.Booked
		d.Capacity += sl.Capacity
	}
	return d, nil
}

// hallAppointments lists the point's appointments of a day with check-in.
func (w *Web) hallAppointments(ctx context.Context, c *call) (answer, error) {
	point := managedPoint(c)
	d, err := w.hallApptData(ctx, c, point, strings.TrimSpace(c.Query("day")))
	if err != nil {
		return nil, err
	}
	p := page{Name: "hall_appointments", Title: "hallmgmt.appointments_title", Data: d}
	if c.Query("done") == "checked_in" {
		if id, err := strconv.ParseInt(c.Query("ticket"), 10, 64); err == nil {
			if t, err := w.Hall.Ticket(ctx, c.User, point, id); err == nil {
				p.Flash = c.L.Tf("hallmgmt.checked_in", t.Number)
			}
		}
	}
	return p, nil
}

// checkInAppointment turns an appointment into a priority ticket when the
// applicant arrives; too early, too late or a closed hall is said on the page.
func (w *Web) checkInAppointment(ctx context.Context, c *call) (answer, error) {
	point, day := managedPoint(c), c.Trim("day")
	t, err := w.Hall.CheckIn(ctx, c.User, point, c.ID)
	if err != nil {
		return onFormOnly(err, func() (answer, error) {
			d, err := w.hallApptData(ctx, c, point, day)
			if err != nil {
				return nil, err
			}
			return page{Name: "hall_appointments", Title: "hallmgmt.appointments_title", Data: d}, nil
		}), err
	}
	return seeOther(withPoint(fmt.Sprintf("/hall/appointments?day=%s&done=checked_in&ticket=%d", url.QueryEscape(day), t.ID), c, point)), nil
}
