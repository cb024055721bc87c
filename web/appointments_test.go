package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/onewindow/onewindow/catalog"
	"github.com/onewindow/onewindow/clock"
	"github.com/onewindow/onewindow/demo"
	"github.com/onewindow/onewindow/hall"
	"github.com/onewindow/onewindow/network"
	"github.com/onewindow/onewindow/workday"
)

// The hall clock of the tests is Tuesday 24 November 2026, 10:00; the
// slots are made here rather than taken from the demo, whose slots start
// on the day the demo is loaded.
const (
	hallToday    = "2026-11-24"
	hallTomorrow = "2026-11-25"
)

// slotsAt makes 30-minute slots of category A with capacity places at a
// point over the working days from hallToday on, and returns those of day.
func (e *env) slotsAt(t *testing.T, point, day string, capacity int) []hall.Slot {
	t.Helper()
	ctx := context.Background()
	if _, err := e.hall.GenerateSlots(ctx, user(t, e, "admin"), point, hall.GenerateSlotsRequest{Category: "A", From: hallToday,
		WorkingDays: 3, EveryMinutes: 30, Capacity: capacity}); err != nil {
		t.Fatalf("slots: %v", err)
	}
	slots, err := e.hall.Slots(ctx, point, hall.SlotFilter{From: day, To: day, Category: "A"})
	if err != nil || len(slots) < 3 {
		t.Fatalf("slots of %s: %v, %v", day, slots, err)
	}
	return slots
}

// book books a slot for an applicant through the service.
func (e *env) book(t *testing.T, username, point string, slot int64) hall.Appointment {
	t.Helper()
	a, err := e.hall.Book(context.Background(), user(t, e, username), point, hall.BookRequest{SlotID: slot})
	if err != nil {
		t.Fatalf("book for %s: %v", username, err)
	}
	return a
}

// appointment reads an appointment back through the service, as staff of its point.
func (e *env) appointment(t *testing.T, staff, point string, id int64) hall.Appointment {
	t.Helper()
	a, err := e.hall.Appointment(context.Background(), user(t, e, staff), point, id)
	if err != nil {
		t.Fatalf("appointment %d: %v", id, err)
	}
	return a
}

// within returns the part of the page from the element with id to the end
// of the form or section it opens, so that a test can tell that an error is
// shown next to the field it is about.
func (p *page) within(id, end string) string {
	p.t.Helper()
	i := strings.Index(p.body, `id="`+id+`"`)
	if i < 0 {
		p.t.Fatalf("%s: no element %q\n%.3000s", p.req, id, p.body)
	}
	rest := p.body[i:]
	if j := strings.Index(rest, end); j >= 0 {
		return rest[:j]
	}
	return rest
}

func slotParam(id int64) string { return strconv.FormatInt(id, 10) }

// An applicant chooses a point, a day and a free slot, names the item of
// the visit, and gets the code with the check-in instructions and what to
// bring; wrong choices come back on the form, and a full slot is never overbooked.
func TestBookingAnAppointment(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		slots := e.slotsAt(t, demo.QingzhouCentre, hallTomorrow, 2)
		first, second := slots[0], slots[1]
		yu := e.as(t, "yuxiulan")

		yu.get("/appointments/book").want(200).has(`<option value="`+demo.QingzhouCentre+`"`, `id="show-slots"`).lacks("⟦", `id="book-form"`)
		p := yu.get("/appointments/book?point=" + demo.QingzhouCentre + "&day=" + hallTomorrow).want(200)
		p.has(`id="book-form"`, `id="slot-`+slotParam(first.ID)+`"`, "剩余2个（共2个）", `data-day="`+hallToday+`"`, first.Starts+"–"+first.Ends)
		// Today's slots that have begun (by the server's clock) are not offered.
		today := yu.get("/appointments/book?point=" + demo.QingzhouCentre + "&day=" + hallToday).want(200)
		todaySlots := e.slotsAt(t, demo.QingzhouCentre, hallToday, 2)
		today.lacks(`id="slot-` + slotParam(todaySlots[0].ID) + `"`)

		// Wrong choices come back with the message next to the field.
		form := func(slot int64, item string) url.Values {
			return url.Values{"point": {demo.QingzhouCentre}, "day": {hallTomorrow}, "slot_id": {slotParam(slot)}, "item": {item}}
		}
		res := yu.post("/appointments/book", form(0, "")).want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("slots", "</fieldset>"), "请选择预约时段") {
			t.Errorf("no slot chosen: the error is not next to the slots\n%s", res.within("slots", "</fieldset>"))
		}
		res = yu.post("/appointments/book", form(first.ID, "NO-SUCH-ITEM")).want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("item", "<button"), "没有这个事项编码") {
			t.Errorf("unknown item: the error is not next to the item field")
		}
		res.has(`id="slot-` + slotParam(first.ID) + `" value="` + slotParam(first.ID) + `" checked`)
		licence, err := e.cat.Published(ctx, demo.CodeBusinessLicence)
		if err != nil {
			t.Fatal(err)
		}
		if licence.HandledAt(catalog.LevelVillage) {
			t.Fatal("the business licence is handled at community centres: the test needs an item that is not")
		}
		yu.post("/appointments/book", form(first.ID, demo.CodeBusinessLicence)).want(http.StatusUnprocessableEntity).has("该事项不在这一级网点办理")
		yu.post("/appointments/book", url.Values{"slot_id": {slotParam(first.ID)}}).want(http.StatusUnprocessableEntity).has("请选择服务网点")
		yu.post("/appointments/book", url.Values{"point": {"NOSUCHPOINT"}, "slot_id": {slotParam(first.ID)}}).
			want(http.StatusUnprocessableEntity).has("请选择服务网点")
		if list, _ := e.hall.MyAppointments(ctx, user(t, e, "yuxiulan")); len(list) != 0 {
			t.Fatalf("refused bookings left appointments: %+v", list)
		}

		// Booking with the item: the confirmation has the code, the time,
		// how to check in and the materials of the item.
		res = yu.post("/appointments/book", form(first.ID, demo.CodeSocialInsuranceSubsidy)).want(http.StatusSeeOther)
		list, err := e.hall.MyAppointments(ctx, user(t, e, "yuxiulan"))
		if err != nil || len(list) != 1 || list[0].SlotID != first.ID || list[0].Status != hall.ApptBooked {
			t.Fatalf("after booking: %+v, %v", list, err)
		}
		booked := list[0]
		want := fmt.Sprintf("/appointments/%s/%d?done=booked&item=%s", demo.QingzhouCentre, booked.ID, demo.CodeSocialInsuranceSubsidy)
		if res.location() != want {
			t.Errorf("booking leads to %q, want %q", res.location(), want)
		}
		item, err := e.cat.Published(ctx, demo.CodeSocialInsuranceSubsidy)
		if err != nil {
			t.Fatal(err)
		}
		checkInFrom := booked.StartsAt.Add(-60 * time.Minute).In(time.FixedZone("CST", 8*3600)).Format("15:04")
		yu.get(res.location()).want(200).has("预约成功", `id="appt-code">`+booked.Code+"<", hallTomorrow+" "+first.Starts+"–"+first.Ends,
			`id="check-in"`, "请于"+checkInFrom+"至"+first.Ends+"之间到达", item.Materials[0].Name, `id="move"`, `id="cancel"`)
		yu.get("/appointments").want(200).has(`id="upcoming"`, `data-code="`+booked.Code+`"`).lacks(`id="past"`)

		// One booking of a category a day at a point.
		yu.post("/appointments/book", form(second.ID, "")).want(http.StatusConflict).has("您当天在该网点已预约过这一类业务", `id="book-form"`)

		// The slot has two places: two more applicants find it full, and
		// the page says so instead of overbooking it.
		e.book(t, "zhouming", demo.QingzhouCentre, first.ID)
		he := e.as(t, "hejingqi")
		he.get("/appointments/book?point=" + demo.QingzhouCentre + "&day=" + hallTomorrow).want(200).
			has(`id="slot-` + slotParam(first.ID) + `" value="` + slotParam(first.ID) + `" disabled`)
		he.post("/appointments/book", form(first.ID, "")).want(http.StatusConflict).has("该时段已约满，请选择其他时段", `id="book-form"`)
		after, err := e.hall.Slots(ctx, demo.QingzhouCentre, hall.SlotFilter{From: hallTomorrow, To: hallTomorrow, Category: "A"})
		if err != nil || after[0].Booked != after[0].Capacity {
			t.Fatalf("slot after the refusal: %+v, %v", after[0], err)
		}

		// In English, every text is translated.
		yu.lang = "en"
		yu.get("/appointments/book?point="+demo.QingzhouCentre+"&day="+hallTomorrow).want(200).has("Book an appointment", "places left").lacks("⟦")
		yu.get(res.location()).want(200).has("Appointment code", "Checking in").lacks("⟦")
		yu.get("/appointments").want(200).has("My appointments").lacks("⟦")
	})
}

// pastBooking books a slot of an earlier day through a hall service whose
// clock is that day, so that at the tests' clock it is over and missed.
func (e *env) pastBooking(t *testing.T, username string) hall.Appointment {
	t.Helper()
	ctx := context.Background()
	cal, err := workday.NewOfficial()
	if err != nil {
		t.Fatal(err)
	}
	earlier := hall.NewService(e.db, cal, network.NewStore(e.db), e.cat, e.svc, clock.Fixed(hallClock.AddDate(0, 0, -4))) // Friday 20 November, 10:00
	slots, err := earlier.GenerateSlots(ctx, user(t, e, "admin"), demo.QingzhouCentre, hall.GenerateSlotsRequest{Category: "A",
		From: "2026-11-20", WorkingDays: 1, EveryMinutes: 30, Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	a, err := earlier.Book(ctx, user(t, e, username), demo.QingzhouCentre, hall.BookRequest{SlotID: slots[len(slots)-1].ID})
	if err != nil {
		t.Fatalf("past booking: %v", err)
	}
	return a
}

// An applicant moves and cancels their appointment; another applicant can
// neither see nor cancel it; an appointment whose time is over is listed as such.
func TestMovingAndCancellingAppointments(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		slots := e.slotsAt(t, demo.QingzhouCentre, hallTomorrow, 2)
		a := e.book(t, "yuxiulan", demo.QingzhouCentre, slots[0].ID)
		missed := e.pastBooking(t, "yuxiulan")
		base := fmt.Sprintf("/appointments/%s/%d", demo.QingzhouCentre, a.ID)
		yu := e.as(t, "yuxiulan")

		p := yu.get("/appointments").want(200)
		p.has(`id="past"`, `data-code="`+missed.Code+`" data-status="no_show"`, "已爽约")
		if strings.Contains(p.within("upcoming", "</ul>"), missed.Code) {
			t.Error("the missed appointment is listed among the coming ones")
		}

		yu.get(base+"/move").want(200).has("改约", `action="`+base+`/move"`, `id="moving"`).lacks(`id="item"`)
		yu.post(base+"/move", url.Values{"slot_id": {slotParam(slots[0].ID)}, "day": {hallTomorrow}}).
			want(http.StatusUnprocessableEntity).has("新时段与原时段相同")
		yu.post(base+"/move", url.Values{"slot_id": {"oops"}, "day": {hallTomorrow}}).
			want(http.StatusUnprocessableEntity).has("slot_id", "请选择新的预约时段")
		res := yu.post(base+"/move", url.Values{"slot_id": {slotParam(slots[2].ID)}, "day": {hallTomorrow}}).want(http.StatusSeeOther)
		if res.location() != base+"?done=moved" {
			t.Errorf("moving leads to %q", res.location())
		}
		yu.get(res.location()).want(200).has("已改约到新的时段", slots[2].Starts+"–"+slots[2].Ends)
		if got := e.appointment(t, "qz_quanke", demo.QingzhouCentre, a.ID); got.SlotID != slots[2].ID {
			t.Fatalf("moved to slot %d, want %d", got.SlotID, slots[2].ID)
		}

		// Someone else's appointment does not exist for another applicant.
		zhou := e.as(t, "zhouming")
		zhou.get(base).want(http.StatusNotFound)
		zhou.get("/appointments").want(200)
		zhou.post(base+"/cancel", url.Values{}).want(http.StatusNotFound)
		zhou.post(base+"/move", url.Values{"slot_id": {slotParam(slots[1].ID)}}).want(http.StatusNotFound)
		if got := e.appointment(t, "qz_quanke", demo.QingzhouCentre, a.ID); got.Status != hall.ApptBooked || got.SlotID != slots[2].ID {
			t.Fatalf("another applicant changed the appointment: %+v", got)
		}
		var denied int
		if err := e.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied' AND object = ?`,
			base+"/cancel").Scan(&denied); err != nil || denied != 1 {
			t.Errorf("denied cancellations in the audit log: %d, %v", denied, err)
		}

		// The missed one can no longer be cancelled: the list says why.
		yu.post(fmt.Sprintf("/appointments/%s/%d/cancel", demo.QingzhouCentre, missed.ID), url.Values{"confirm": {"yes"}}).
			want(http.StatusConflict).has("预约时段已开始，不能取消", `id="upcoming"`)

		// Cancelling asks first, on a page that needs no script, and
		// changes nothing until confirmed.
		yu.post(base+"/cancel", url.Values{}).want(http.StatusOK).
			has(`id="confirm"`, "确认取消这次预约？", `action="`+base+`/cancel"`, `name="confirm" value="yes"`, `href="`+base+`"`)
		if got := e.appointment(t, "qz_quanke", demo.QingzhouCentre, a.ID); got.Status != hall.ApptBooked {
			t.Fatalf("cancelled before it was confirmed: %+v", got)
		}
		res = yu.post(base+"/cancel", url.Values{"confirm": {"yes"}}).want(http.StatusSeeOther)
		yu.get(res.location()).want(200).has("预约已取消", `data-code="`+a.Code+`" data-status="cancelled"`, "已取消").lacks(`id="upcoming"`)
		after, err := e.hall.Slots(context.Background(), demo.QingzhouCentre, hall.SlotFilter{From: hallTomorrow, To: hallTomorrow, Category: "A"})
		if err != nil || after[2].Booked != 0 {
			t.Fatalf("the cancelled place was not freed: %+v, %v", after[2], err)
		}
		yu.post(base+"/cancel", url.Values{"confirm": {"yes"}}).want(http.StatusConflict).has("该预约已取消")
		yu.get(base + "/move").want(200).lacks(`id="book-form"`)
		yu.get(fmt.Sprintf("/appointments/%s/abc", demo.QingzhouCentre)).want(http.StatusNotFound)
	})
}

// An applicant takes a ticket for today at an open point and sees the
// number and who is ahead; a closed point shows its hours and when it opens.
func TestTakingATicket(t *testing.T) {
	eachHallEnv(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ahead := e.takeTicket(t, "A")
		yu := e.as(t, "yuxiulan")
		yu.get("/tickets/take").want(200).has(`<option value="`+demo.CountyHall+`"`, `<option value="`+demo.QingzhouCentre+`"`).lacks(`id="take-form"`)
		// The county hall serves through lunch and late on Thursdays.
		yu.get("/tickets/take?point="+demo.CountyHall).want(200).has(`data-open="true"`, `data-kind="lunch"`, "午间不间断", `data-kind="extended"`, "延时办", `id="take-form"`)
		p := yu.get("/tickets/take?point=" + demo.QingzhouCentre).want(200)
		p.has(`data-open="true"`, "正在办公", `id="take-form"`, `id="cat-A"`, "休息").lacks(`data-kind="lunch"`)

		form := func(category string) url.Values {
			return url.Values{"point": {demo.QingzhouCentre}, "category": {category}}
		}
		res := yu.post("/tickets/take", form("")).want(http.StatusUnprocessableEntity)
		if !strings.Contains(res.within("take-form", "</form>"), "请选择取号类别") {
			t.Error("no category: the error is not on the form")
		}
		yu.post("/tickets/take", form("Q")).want(http.StatusUnprocessableEntity).has("该网点没有这个取号类别")
		yu.post("/tickets/take", url.Values{"category": {"A"}}).want(http.StatusUnprocessableEntity).has("请选择服务网点")

		res = yu.post("/tickets/take", form("A")).want(http.StatusSeeOther)
		tickets, err := e.hall.Tickets(ctx, user(t, e, "qz_quanke"), demo.QingzhouCentre, hall.TicketFilter{})
		if err != nil || len(tickets) != 2 {
			t.Fatalf("tickets: %+v, %v", tickets, err)
		}
		mine := tickets[1]
		if mine.Source != hall.SourceOnline || mine.Number == ahead.Number {
			t.Fatalf("the applicant's ticket: %+v", mine)
		}
		if want := fmt.Sprintf("/tickets/%s/%d", demo.QingzhouCentre, mine.ID); res.location() != want {
			t.Errorf("taking leads to %q, want %q", res.location(), want)
		}
		yu.get(res.location()).want(200).has(`id="ticket-number">`+mine.Number+"<", `data-ahead="1"`, "前面还有1人等候", `hx-trigger="every 30s"`)
		part := yu.get(res.location(), "HX-Request", "true", "HX-Target", "ticket-status").want(200)
		if !strings.HasPrefix(strings.TrimSpace(part.body), `<div class="card notice" id="ticket-status"`) || strings.Contains(part.body, "<html") {
			t.Errorf("the refresh answers with more than the ticket:\n%.500s", part.body)
		}
		yu.post("/tickets/take", form("A")).want(http.StatusConflict).has("您今天在该网点已有一个未办结的号", `id="take-form"`)
		e.as(t, "zhouming").get(res.location()).want(http.StatusNotFound)

		// A point open only on Saturdays is closed on this Tuesday morning.
		if _, err := e.hall.PutHours(ctx, user(t, e, "admin"), demo.GuangmingLegal, hall.Hours{{Weekday: 6, Kind: hall.PeriodRegular,
			Opens: "09:00", Closes: "12:00"}}); err != nil {
			t.Fatal(err)
		}
		closed := yu.get("/tickets/take?point=" + demo.GuangmingLegal).want(200)
		closed.has(`data-open="false"`, "当前不在办公时间", "2026-11-28 09:00").lacks(`id="take-form"`)
		yu.post("/tickets/take", url.Values{"point": {demo.GuangmingLegal}, "category": {"A"}}).
			want(http.StatusConflict).has("当前不在办公时间，下次开放时间：11月28日（周六）09:00")

		yu.lang = "en"
		yu.get("/tickets/take?point="+demo.CountyHall).want(200).has("Open now", "lunch-time service").lacks("⟦")
		yu.get(res.location()).want(200).has("waiting ahead of you").lacks("⟦")

		// Staff have no applicant's pages.
		e.as(t, "qz_quanke").get("/tickets/take").want(http.StatusForbidden)
		e.as(t, "qz_dating").get("/appointments/book").want(http.StatusForbidden)
		if res := e.client(t).get("/appointments"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/login") {
			t.Errorf("a visitor is not sent to sign in: %d %s", res.status, res.location())
		}
	})
}
