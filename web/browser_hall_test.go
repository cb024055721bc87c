package web_test

import (
	"context"
	"slices"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/onewindow/onewindow/demo"
)

// 于女士 books a time at 青州社区 from the menu, keeps the code, and finds
// the appointment in her list; the centre's manager puts the issuer on
// Saturday's roster, is told about a mistyped time next to the field, fills
// the week by rotation, and sees the appointment on the day's list.
func TestBrowserAppointmentAndRoster(t *testing.T) {
	e := sqliteEnvAt(t, hallClock)
	startBrowser(t)
	slots := e.slotsAt(t, demo.QingzhouCentre, hallTomorrow, 2)
	slot := slots[1]
	slotSel := `#slot-` + strconv.FormatInt(slot.ID, 10)

	yu := open(t, e, "yuxiulan")
	yu.goTo("/", `.hero`)
	yu.run(
		chromedp.Click(css(`nav.menu a[href="/appointments"]`)),
		chromedp.WaitVisible(css(`#book-new`)),
		chromedp.Click(css(`#book-new`)),
		chromedp.WaitVisible(css(`#choose-point`)),
		chromedp.SetValue(css(`#point`), demo.QingzhouCentre),
		chromedp.Click(css(`#show-slots`)),
		chromedp.WaitVisible(css(`#book-form`)),
		chromedp.Click(css(`#days a[data-day="`+hallTomorrow+`"]`)),
		chromedp.WaitVisible(css(slotSel)),
		chromedp.Click(css(slotSel)),
	)
	yu.contains(`label[for="`+slotSel[1:]+`"]`, slot.Starts+"–"+slot.Ends, "剩余2个（共2个）")
	yu.shot("appointment-01-choose-a-time")
	yu.run(chromedp.Click(css(`#book`)), chromedp.WaitVisible(css(`#appt-code`)))
	code := yu.text(`#appt-code`)
	if len(code) != 8 {
		t.Fatalf("appointment code %q", code)
	}
	yu.contains(`#appointment`, hallTomorrow+" "+slot.Starts+"–"+slot.Ends, "青州社区", "已预约")
	yu.contains(`#check-in`, "预约码")
	yu.shot("appointment-02-confirmation")
	yu.run(chromedp.Click(css(`main a[href="/appointments"]`)), chromedp.WaitVisible(css(`#upcoming`)))
	yu.contains(`#upcoming li[data-code="`+code+`"]`, hallTomorrow, slot.Starts, "青州社区")
	yu.shot("appointment-03-my-appointments")

	manager := open(t, e, "qz_dating")
	manager.goTo("/hall/today", `#hall-today`)
	manager.run(chromedp.Click(css(`nav.menu a[href="/hall/roster"]`)), chromedp.WaitVisible(css(`#roster-week`)))
	manager.goTo("/hall/roster?week="+hallToday, `#roster-week`)
	// The week is one row, Monday to Sunday, at a desktop's width.
	if rows := get(manager, chromedp.Evaluate[int](`new Set([...document.querySelectorAll("#roster-week > section")].map(s => s.getBoundingClientRect().top)).size`)); rows != 1 {
		t.Errorf("the roster week takes %d rows, want 1", rows)
	}
	issuer := user(t, e, "qz_chuzheng")
	saturday, friday := "2026-11-28", "2026-11-27"
	manager.run(
		chromedp.SetValue(css(`#user-`+saturday), strconv.FormatInt(issuer.ID, 10)),
		chromedp.SendKeys(css(`#starts-`+saturday), "09:00"),
		chromedp.SendKeys(css(`#ends-`+saturday), "12:00"),
		chromedp.Click(css(`#add-`+saturday+` button[type=submit]`)),
		chromedp.WaitVisible(css(`#day-`+saturday+` li[data-user="`+strconv.FormatInt(issuer.ID, 10)+`"]`)),
	)
	manager.contains(`#day-`+saturday+` ul.duty`, "赵淑芬", "09:00–12:00")
	manager.shot("roster-01-saturday-added")

	manager.run(
		chromedp.SetValue(css(`#user-`+friday), strconv.FormatInt(issuer.ID, 10)),
		chromedp.SendKeys(css(`#starts-`+friday), "9点"),
		chromedp.SendKeys(css(`#ends-`+friday), "12:00"),
		chromedp.Click(css(`#add-`+friday+` button[type=submit]`)),
		chromedp.WaitVisible(css(`#add-`+friday+` .field-error`)),
	)
	manager.contains(`#add-`+friday+` .field-error`, "时间格式须为 HH:MM")
	if got := manager.value(`#starts-` + friday); got != "9点" {
		t.Errorf("the mistyped time is not kept: %q", got)
	}
	manager.shot("roster-02-error-next-to-the-field")

	// The rotation form starts with the four generalists, two a day.
	manager.run(chromedp.Click(css(`#rotate-submit`)), chromedp.WaitVisible(css(`.flash`)))
	manager.contains(`.flash`, "已按轮岗生成排班")
	today, err := e.hall.Roster(context.Background(), user(t, e, "qz_dating"), demo.QingzhouCentre, hallToday, hallToday)
	if err != nil {
		t.Fatal(err)
	}
	var onDuty []string
	for _, r := range today {
		onDuty = append(onDuty, r.UserName)
	}
	slices.Sort(onDuty)
	if !slices.Equal(onDuty, []string{"张红梅", "李春燕"}) {
		t.Errorf("after the rotation today's roster is %v", onDuty)
	}
	manager.contains(`#day-`+hallToday+` ul.duty`, "李春燕", "张红梅")
	manager.shot("roster-03-rotation")

	manager.run(chromedp.Click(css(`nav.menu a[href="/hall/appointments"]`)), chromedp.WaitVisible(css(`#places`)))
	manager.goTo("/hall/appointments?day="+hallTomorrow, `#appointments`)
	manager.contains(`#appointments tr[data-code="`+code+`"]`, "于秀兰", slot.Starts)
	manager.shot("hall-02-day-appointments")
}
