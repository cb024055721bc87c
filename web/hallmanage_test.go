package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
)

// id returns a demo user's id as a form value.
func (e *env) id(t *testing.T, username string) string {
	t.Helper()
	return strconv.FormatInt(user(t, e, username).ID, 10)
}

// roster reads one day's roster of 青州社区 as its manager.
func (e *env) roster(t *testing.T, day string) []hall.RosterEntry {
	t.Helper()
	es, err := e.hall.Roster(context.Background(), user(t, e, "qz_dating"), demo.QingzhouCentre, day, day)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func names(es []hall.RosterEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.UserName)
	}
	return out
}

// The manager of 青州社区 fills the week by rotation, adds and removes
// someone on a day, and records skills; mistakes come back next to their field.
func TestRosterEditing(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		m := e.as(t, "qz_dating")
		p := m.get("/hall/roster?week=" + hallToday).want(200)
		p.has(`id="day-2026-11-23"`, `id="day-2026-11-29"`, `id="rotate-form"`, `id="skill-`+e.id(t, "qz_chuzheng")+`"`,
			"2026-11-23 起的一周", "李春燕", "赵淑芬").lacks("⟦")

		// Rotation: the four generalists, two a day, from Tuesday.
		generalists := []string{"qz_quanke", "qz_quanke2", "qz_quanke3", "qz_quanke4"}
		rotate := url.Values{"point": {demo.QingzhouCentre}, "week": {"2026-11-23"}, "from": {hallToday}, "days": {"3"}, "per_day": {"2"}}
		for _, g := range generalists {
			rotate.Add("staff", e.id(t, g))
		}
		res := m.post("/hall/roster/rotate", rotate).want(http.StatusSeeOther)
		if res.location() != "/hall/roster?week="+hallToday+"&done=rotated" {
			t.Errorf("rotation leads to %q", res.location())
		}
		want := map[string][]string{hallToday: {"李春燕", "张红梅"}, hallTomorrow: {"刘海波", "陈静"}, "2026-11-26": {"李春燕", "张红梅"}}
		for day, people := range want {
			got := names(e.roster(t, day))
			slices.Sort(got)
			slices.Sort(people)
			if !slices.Equal(got, people) {
				t.Errorf("roster of %s = %v, want %v", day, got, people)
			}
		}
		p = m.get(res.location()).want(200).has("已按轮岗生成排班")
		if day := p.within("day-"+hallTomorrow, `id="add-`); !strings.Contains(day, "刘海波") || strings.Contains(day, "李春燕") {
			t.Errorf("the page's %s does not show the rotation:\n%s", hallTomorrow, day)
		}

		bad := func(change func(url.Values)) *page {
			f := url.Values{}
			for k, v := range rotate {
				f[k] = slices.Clone(v)
			}
			change(f)
			return m.post("/hall/roster/rotate", f)
		}
		res = bad(func(f url.Values) { f.Set("per_day", "5") }).want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("rotate-form", "</form>"), "轮岗人数不能少于每天值班人数（5）") {
			t.Error("too few people: the error is not on the rotation form")
		}
		res.has(`name="per_day" type="number" min="1" value="5"`)
		bad(func(f url.Values) { f.Set("days", "0") }).want(http.StatusUnprocessableEntity).has("天数须为1–366")
		bad(func(f url.Values) { f.Set("from", "24.11.2026") }).want(http.StatusUnprocessableEntity).has("日期格式须为 YYYY-MM-DD")
		bad(func(f url.Values) { f.Del("staff") }).want(http.StatusUnprocessableEntity).has("请选择参加轮岗的人员")
		bad(func(f url.Values) {
			f["staff"] = []string{e.id(t, "qz_quanke"), e.id(t, "qz_quanke"), e.id(t, "qz_quanke2")}
		}).
			want(http.StatusUnprocessableEntity).has("人员重复")

		// Adding someone to Saturday for the morning, then taking them off again.
		issuer := e.id(t, "qz_chuzheng")
		day := "2026-11-28"
		add := func(userID, starts, ends string) *page {
			return m.post("/hall/roster/day", url.Values{"point": {demo.QingzhouCentre}, "day": {day}, "op": {"add"}, "user_id": {userID},
				"starts": {starts}, "ends": {ends}})
		}
		add(issuer, "09:00", "12:00").want(http.StatusSeeOther)
		if es := e.roster(t, day); len(es) != 1 || es[0].UserName != "赵淑芬" || es[0].Starts != "09:00" || es[0].Ends != "12:00" {
			t.Fatalf("Saturday's roster: %+v", es)
		}
		res = add(e.id(t, "qz_quanke"), "9点", "12:00").want(http.StatusUnprocessableEntity)
		form := res.within("add-"+day, "</form>")
		if !strings.Contains(form, "时间格式须为 HH:MM") || !strings.Contains(form, `value="9点"`) {
			t.Errorf("a bad time is not shown on Saturday's form:\n%s", form)
		}
		if other := res.within("add-"+hallToday, "</form>"); strings.Contains(other, "时间格式须为 HH:MM") {
			t.Error("the error is shown on another day's form too")
		}
		add(e.id(t, "qz_quanke"), "12:00", "09:00").want(http.StatusUnprocessableEntity).has("结束时间须晚于开始时间")
		add("", "", "").want(http.StatusUnprocessableEntity).has("请选择工作人员")
		add(issuer, "", "").want(http.StatusUnprocessableEntity).has("同一人当天只能排一次班")
		add(e.id(t, "hn_qiantai"), "", "").want(http.StatusUnprocessableEntity).has("该用户不是本网点的窗口工作人员")
		add(e.id(t, "yuxiulan"), "", "").want(http.StatusUnprocessableEntity).has("该用户不是本网点的窗口工作人员")
		if es := e.roster(t, day); len(es) != 1 {
			t.Fatalf("refused additions changed the roster: %+v", es)
		}
		m.post("/hall/roster/day", url.Values{"point": {demo.QingzhouCentre}, "day": {day}, "op": {"remove"}, "user_id": {issuer}}).
			want(http.StatusSeeOther)
		if es := e.roster(t, day); len(es) != 0 {
			t.Fatalf("after the removal: %+v", es)
		}
		m.post("/hall/roster/day", url.Values{"day": {day}, "op": {"swap"}, "user_id": {issuer}}).want(http.StatusNotFound)

		// Skills: the issuer serves category B; a bad item code is refused on her form.
		m.post("/hall/roster/skill", url.Values{"user_id": {issuer}, "week": {hallToday}, "categories": {"B"},
			"items": {demo.CodeSocialInsuranceSubsidy}}).want(http.StatusSeeOther)
		skills, err := e.hall.Skills(ctx, user(t, e, "qz_dating"), demo.QingzhouCentre)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(skills, func(s hall.Skill) bool { return strconv.FormatInt(s.UserID, 10) == issuer })
		if i < 0 || skills[i].AllItems || !slices.Equal(skills[i].Categories, []string{"B"}) ||
			!slices.Equal(skills[i].Items, []string{demo.CodeSocialInsuranceSubsidy}) {
			t.Fatalf("the issuer's skill: %+v", skills)
		}
		res = m.post("/hall/roster/skill", url.Values{"user_id": {issuer}, "week": {hallToday}, "items": {strings.Repeat("9", 70)}}).
			want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("skill-"+issuer, "</form>"), "事项编码有误") {
			t.Error("a bad item code is not shown on the person's skill form")
		}
		m.post("/hall/roster/skill", url.Values{"user_id": {e.id(t, "hn_qiantai")}, "week": {hallToday}}).
			want(http.StatusUnprocessableEntity).has("该用户不是本网点的窗口工作人员")

		m.lang = "en"
		m.get("/hall/roster?week="+hallToday).want(200).has("Duty roster", "Week of 2026-11-23", "generalist").lacks("⟦")
		m.get("/hall/roster?week=someday").want(http.StatusUnprocessableEntity)
	})
}

// The manager edits windows and the opening hours (with lunch-time service
// and extended hours) and makes appointment slots.
func TestWindowsAndHours(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		manager := user(t, e, "qz_dating")
		m := e.as(t, "qz_dating")
		m.get("/hall/windows").want(200).has(`id="window-01"`, `id="window-02"`, `id="window-new"`, `id="hours-form"`,
			`name="opens_0"`, `id="generate-form"`, `data-open="true"`).lacks("⟦")

		win := func(isNew bool, code, name string, cats ...string) url.Values {
			f := url.Values{"code": {code}, "name": {name}, "categories": cats, "active": {"1"}, "sort_order": {"3"}}
			if isNew {
				f.Set("new", "1")
			}
			return f
		}
		m.post("/hall/windows", win(false, "01", "1号全科窗口", "A", "E")).want(http.StatusSeeOther)
		m.post("/hall/windows", win(true, "03", "3号出证窗口", "B")).want(http.StatusSeeOther)
		windows, err := e.hall.Windows(ctx, manager, demo.QingzhouCentre)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]hall.Window{}
		for _, w := range windows {
			got[w.Code] = w
		}
		if w := got["01"]; w.Name != "1号全科窗口" || !slices.Equal(w.Categories, []string{"A", "E"}) {
			t.Errorf("window 01: %+v", w)
		}
		if w := got["03"]; w.Name != "3号出证窗口" || !slices.Equal(w.Categories, []string{"B"}) || !w.Active {
			t.Errorf("window 03: %+v", w)
		}

		res := m.post("/hall/windows", win(true, "01", "重复的窗口", "A")).want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("window-new", "</form>"), "已有这个编号的窗口") {
			t.Error("a taken code is not shown on the new window's form")
		}
		res = m.post("/hall/windows", win(true, "0 4", "", "A")).want(http.StatusUnprocessableEntity)
		form := res.within("window-new", "</form>")
		for _, msg := range []string{"窗口编号须为1–16位字母、数字或连字符", "请填写窗口名称", `value="0 4"`} {
			if !strings.Contains(form, msg) {
				t.Errorf("the new window's form lacks %q", msg)
			}
		}
		res = m.post("/hall/windows", win(false, "02", "2号窗口")).want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("window-02", "</form>"), "请选择窗口办理的取号类别") {
			t.Error("a window without categories: the error is not on its form")
		}
		m.post("/hall/windows", win(false, "02", "2号窗口", "Q")).want(http.StatusUnprocessableEntity).has("该网点没有这个取号类别")
		m.post("/hall/windows", win(false, "99", "没有的窗口", "A")).want(http.StatusNotFound)

		// Hours: Monday to Friday, open through lunch on Mondays and until
		// 19:00 on Thursdays; one row removed, empty rows ignored.
		hours := url.Values{"rows": {"6"},
			"weekday_0": {"1"}, "kind_0": {"regular"}, "opens_0": {"08:30"}, "closes_0": {"17:00"},
			"weekday_1": {"1"}, "kind_1": {"lunch"}, "opens_1": {"11:30"}, "closes_1": {"13:30"},
			"weekday_2": {"4"}, "kind_2": {"extended"}, "opens_2": {"17:00"}, "closes_2": {"19:00"},
			"weekday_3": {"2"}, "kind_3": {"regular"}, "opens_3": {"08:30"}, "closes_3": {"17:00"},
			"weekday_4": {"5"}, "kind_4": {"regular"}, "opens_4": {"08:30"}, "closes_4": {"17:00"}, "remove_4": {"1"},
			"weekday_5": {"3"}, "kind_5": {"regular"}}
		m.post("/hall/hours", hours).want(http.StatusSeeOther)
		h, err := e.hall.Hours(ctx, demo.QingzhouCentre)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, p := range h {
			kinds = append(kinds, fmt.Sprintf("%d %s %s-%s", p.Weekday, p.Kind, p.Opens, p.Closes))
		}
		slices.Sort(kinds)
		if want := []string{"1 lunch 11:30-13:30", "1 regular 08:30-17:00", "2 regular 08:30-17:00", "4 extended 17:00-19:00"}; !slices.Equal(kinds, want) {
			t.Errorf("hours = %v, want %v", kinds, want)
		}
		m.get("/hall/windows?done=hours").want(200).has("办公时间已保存", `<option value="lunch" selected>午间不间断</option>`,
			`<option value="extended" selected>延时办</option>`)

		hours.Set("closes_3", "08:00")
		hours.Set("opens_0", "8:30")
		res = m.post("/hall/hours", hours).want(http.StatusUnprocessableEntity)
		// Rows are shown as sent; each error is in its row (row 3 is the fourth period kept).
		row := res.within("weekday_3", "</tr>")
		if !strings.Contains(row, "结束时间须晚于开始时间") || !strings.Contains(row, `value="08:00"`) {
			t.Errorf("the wrong row does not carry its error:\n%s", row)
		}
		if !strings.Contains(res.within("weekday_0", "</tr>"), "时间格式须为 HH:MM") {
			t.Error("row 0's bad time is not in its row")
		}
		if h2, _ := e.hall.Hours(ctx, demo.QingzhouCentre); len(h2) != len(h) {
			t.Errorf("a refused change altered the hours: %+v", h2)
		}

		// Slots over two working days from Monday 30 November, every hour.
		res = m.post("/hall/slots/generate", url.Values{"category": {"A"}, "from": {"2026-11-30"}, "working_days": {"2"},
			"every_minutes": {"60"}, "capacity": {"3"}}).want(http.StatusSeeOther)
		slots, err := e.hall.Slots(ctx, demo.QingzhouCentre, hall.SlotFilter{From: "2026-11-30", To: "2026-12-01", Category: "A"})
		if err != nil {
			t.Fatal(err)
		}
		// Monday 08:30–17:00 (lunch-time service lies inside) gives 8 hourly
		// slots from 08:30 to 16:30, Tuesday the same; the demo's own
		// half-hour slots of those days, if any, stay as they were.
		var hourly []string
		for _, sl := range slots {
			if sl.Capacity == 3 {
				hourly = append(hourly, sl.Day+" "+sl.Starts+"–"+sl.Ends)
			}
		}
		if len(hourly) != 16 || hourly[0] != "2026-11-30 08:30–09:30" || hourly[15] != "2026-12-01 15:30–16:30" {
			t.Fatalf("generated slots: %d %v", len(hourly), hourly)
		}
		m.get(res.location()).want(200).has("已生成或更新16个预约时段")
		res = m.post("/hall/slots/generate", url.Values{"category": {"Q"}, "from": {"2026-11-30"}, "working_days": {"2"},
			"every_minutes": {"1"}, "capacity": {"3"}}).want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("generate-form", "</form>"), "时段长度须为5–240分钟") {
			t.Error("a bad slot length is not on the slot form")
		}
		res = m.post("/hall/slots/generate", url.Values{"category": {"Q"}, "from": {"2026-11-30"}, "working_days": {"2"},
			"every_minutes": {"60"}, "capacity": {"3"}}).want(http.StatusUnprocessableEntity)
		if gen := res.within("generate-form", "</form>"); strings.Count(gen, "该网点没有这个取号类别") != 1 {
			t.Errorf("an unknown category should be said once, next to the category:\n%s", gen)
		}
		m.post("/hall/slots/generate", url.Values{"category": {"A"}, "from": {"2026-11-28"}, "working_days": {"1"},
			"every_minutes": {"60"}, "capacity": {"0"}}).want(http.StatusUnprocessableEntity).has("容量须为1–1000")

		m.lang = "en"
		m.get("/hall/windows").want(200).has("Windows and opening hours", "lunch-time service").lacks("⟦")
	})
}

// The day's appointments are listed for the point's manager, who checks
// people in; too early is said on the page.
func TestDayAppointmentsAndCheckIn(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		today := e.slotsAt(t, demo.QingzhouCentre, hallToday, 2)
		var next hall.Slot // the first slot still ahead at 10:00
		for _, sl := range today {
			if sl.Starts > "10:00" {
				next = sl
				break
			}
		}
		soon := e.book(t, "yuxiulan", demo.QingzhouCentre, next.ID)
		later := e.book(t, "zhouming", demo.QingzhouCentre, today[len(today)-1].ID)
		m := e.as(t, "qz_dating")
		p := m.get("/hall/appointments").want(200)
		p.has(`data-code="`+soon.Code+`" data-status="booked"`, `data-code="`+later.Code+`"`, "于秀兰", "周明",
			"已预约2个", `id="day-slots"`).lacks("⟦")

		res := m.post(fmt.Sprintf("/hall/appointments/%d/check-in", soon.ID), url.Values{"day": {hallToday}}).want(http.StatusSeeOther)
		got := e.appointment(t, "qz_quanke", demo.QingzhouCentre, soon.ID)
		if got.Status != hall.ApptCheckedIn || got.TicketID == nil {
			t.Fatalf("after check-in: %+v", got)
		}
		tk, err := e.hall.Ticket(context.Background(), user(t, e, "qz_quanke"), demo.QingzhouCentre, *got.TicketID)
		if err != nil || tk.Priority != hall.PriorityAppointment {
			t.Fatalf("the check-in ticket: %+v, %v", tk, err)
		}
		m.get(res.location()).want(200).has("已签到，优先号"+tk.Number, `data-code="`+soon.Code+`" data-status="checked_in"`)
		m.post(fmt.Sprintf("/hall/appointments/%d/check-in", soon.ID), url.Values{"day": {hallToday}}).
			want(http.StatusConflict).has("该预约已签到", `id="appointments"`)
		m.post(fmt.Sprintf("/hall/appointments/%d/check-in", later.ID), url.Values{"day": {hallToday}}).
			want(http.StatusConflict).has("还未到签到时间")
		m.post("/hall/appointments/999999/check-in", url.Values{"day": {hallToday}}).want(http.StatusNotFound)

		m.get("/hall/appointments?day=" + hallTomorrow).want(200).has("当天没有预约")
		m.get("/hall/appointments?day=2026-13-45").want(http.StatusUnprocessableEntity).has("日期格式须为 YYYY-MM-DD")
		m.lang = "en"
		m.get("/hall/appointments").want(200).has("The day&#39;s appointments", "places booked").lacks("⟦")
	})
}

// The hall manager's pages are for hall managers of the point: other roles
// are refused, and so is a manager of another point, in the audit log too.
func TestHallManagementPermissions(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		pages := []string{"/hall/roster", "/hall/windows", "/hall/appointments"}
		for _, username := range []string{"yuxiulan", "qz_quanke", "qz_chuzheng", "rs_shenpi", "admin"} {
			c := e.as(t, username)
			for _, p := range pages {
				c.get(p).want(http.StatusForbidden).has("无权访问")
			}
		}
		for _, p := range pages {
			if res := e.client(t).get(p); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/login") {
				t.Errorf("%s: a visitor gets %d %s", p, res.status, res.location())
			}
		}
		yu := e.as(t, "yuxiulan")
		yu.get("/").want(200)
		yu.post("/hall/roster/day", url.Values{"day": {hallToday}, "op": {"add"}, "user_id": {e.id(t, "qz_quanke")}}).want(http.StatusForbidden)

		// The county hall's manager may not look at or change 青州社区's hall.
		var before int
		if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'`).Scan(&before); err != nil {
			t.Fatal(err)
		}
		hn := e.as(t, "hn_dating")
		for _, p := range pages {
			hn.get(p + "?point=" + demo.QingzhouCentre).want(http.StatusForbidden).has("您不在该服务网点工作")
			hn.get(p).want(200).has("辉南县政务服务中心")
		}
		rosterBefore := e.roster(t, "2026-11-28")
		hn.post("/hall/roster/day", url.Values{"point": {demo.QingzhouCentre}, "day": {"2026-11-28"}, "op": {"add"},
			"user_id": {e.id(t, "qz_quanke")}}).want(http.StatusForbidden)
		hn.post("/hall/roster/rotate", url.Values{"point": {demo.QingzhouCentre}, "from": {hallToday}, "days": {"1"}, "per_day": {"1"},
			"staff": {e.id(t, "qz_quanke")}}).want(http.StatusForbidden)
		hn.post("/hall/windows", url.Values{"point": {demo.QingzhouCentre}, "code": {"01"}, "name": {"改名"}, "categories": {"A"}}).
			want(http.StatusForbidden)
		hn.post("/hall/hours", url.Values{"point": {demo.QingzhouCentre}, "rows": {"0"}}).want(http.StatusForbidden)
		hn.post("/hall/slots/generate", url.Values{"point": {demo.QingzhouCentre}, "category": {"A"}, "working_days": {"1"},
			"every_minutes": {"30"}, "capacity": {"1"}}).want(http.StatusForbidden)
		if after := e.roster(t, "2026-11-28"); len(after) != len(rosterBefore) {
			t.Errorf("another point's manager changed the roster: %+v", after)
		}
		if h, err := e.hall.Hours(ctx, demo.QingzhouCentre); err != nil || len(h) == 0 {
			t.Errorf("another point's manager emptied the hours: %+v, %v", h, err)
		}
		var after int
		if err := e.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied'`).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after-before < 8 {
			t.Errorf("%d refusals audited, want at least 8", after-before)
		}
	})
}
