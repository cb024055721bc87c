package web

// ratingMessages are the texts of the 好差评 pages, kept beside them and
// merged into the one catalogue (which the catalogue test checks as a
// whole), so that other pages' texts and these do not touch one file.
var ratingMessages = map[string][2]string{
	"rating.title":     {"评价", "Rate"},
	"rating.lead":      {"请对本次办事评价，您的意见会被认真对待；差评会有专人回访并整改。", "Tell us how it went. A bad rating is called back and put right."},
	"rating.link_lead": {"无需登录即可评价；7天内可以修改。", "No sign-in needed; you may change your rating for 7 days."},
	"rating.current":   {"您的评价：", "Your rating:"},
	"rating.tags":      {"评价哪些方面（可多选）", "About (choose any)"},
	"rating.comment":   {"意见和建议（可不填）", "Comment (optional)"},
	"rating.phone":     {"手机号（可不填，差评时便于回访）", "Mobile number (optional, for a call-back)"},
	"rating.level":     {"点击一个等级即提交评价", "Tap a level to send your rating"},
	"rating.thanks":    {"感谢您的评价！", "Thank you for your rating!"},
	"rating.not_now":   {"办结或出证后才能评价。", "It can be rated once it is decided and the result given."},
	"rating.rate_case": {"评价", "Rate"},

	"pad.title":     {"服务评价", "Rate our service"},
	"pad.idle":      {"欢迎办事，办理完成后请为我们的服务评价", "Welcome. Please rate our service when you are done."},
	"pad.ask":       {"请为本次服务（%s号）评价", "Please rate this visit (ticket %s)"},
	"pad.served_by": {"服务人员", "served by"},
	"pad.thanks":    {"感谢您的评价！", "Thank you for your rating!"},

	"phone.nav":           {"电话评价", "Phone ratings"},
	"phone.title":         {"登记电话评价", "Record a rating given by telephone"},
	"phone.lead":          {"填写办件编号或本网点的号票号码（二选一）。不能登记本人经办事项的评价。", "Give a case number or a ticket number of this point. You cannot record a rating of your own work."},
	"phone.case_number":   {"办件编号", "Case number"},
	"phone.ticket_number": {"号票号码", "Ticket number"},
	"phone.ticket_day":    {"号票日期（默认今天）", "Ticket day (today if empty)"},
	"phone.name":          {"来电人姓名", "Caller's name"},
	"phone.phone":         {"来电号码", "Caller's number"},
	"phone.saved":         {"电话评价已登记", "The telephone rating is recorded"},

	"followup.nav":           {"差评整改", "Bad ratings"},
	"followup.list_title":    {"差评整改", "Follow-ups of bad ratings"},
	"followup.lead":          {"每条差评都须按期回访和整改。", "Every bad rating is called back and put right by its day."},
	"followup.only_overdue":  {"只看超期", "Overdue only"},
	"followup.all":           {"全部（含已结束）", "All, ended ones too"},
	"followup.none":          {"没有需要处理的差评。", "No bad rating to follow up."},
	"followup.number":        {"整改单", "Follow-up"},
	"followup.status":        {"状态", "Status"},
	"followup.contact_due":   {"回访期限", "Call back by"},
	"followup.rectify_due":   {"整改期限", "Put right by"},
	"followup.responsible":   {"负责单位", "Responsible"},
	"followup.overdue":       {"已超期", "overdue"},
	"followup.title":         {"差评整改单", "Follow-up of a bad rating"},
	"followup.rated":         {"评价", "Rating"},
	"followup.rater":         {"评价人", "Rater"},
	"followup.no_contact":    {"匿名评价，无法回访", "anonymous: nobody to call back"},
	"followup.contact_note":  {"回访情况", "Call-back"},
	"followup.rectify_note":  {"整改情况", "What was done"},
	"followup.answer_note":   {"评价人意见", "The rater's answer"},
	"followup.appeal_reason": {"申诉理由", "Appeal"},
	"followup.marked":        {"复核结果", "Review"},
	"followup.marked_text":   {"申诉成立：评价保留并标记，不计入满意度", "Appeal upheld: the rating is kept, marked, and not counted"},
	"followup.note":          {"说明", "Note"},
	"followup.history":       {"办理记录", "History"},
	"followup.saved":         {"已办理", "Done"},

	"ratings.nav":          {"满意度", "Satisfaction"},
	"ratings.title":        {"好差评统计", "Satisfaction figures"},
	"ratings.month":        {"月份", "Month"},
	"ratings.show":         {"查看", "Show"},
	"ratings.satisfaction": {"满意率", "Satisfaction"},
	"ratings.count":        {"评价数", "Ratings"},
	"ratings.bad":          {"差评数", "Bad ratings"},
	"ratings.contact_rate": {"回访率", "Called back"},
	"ratings.rectify_rate": {"整改率", "Put right"},
	"ratings.on_time_rate": {"按期率", "On time"},
	"ratings.upheld":       {"申诉成立", "Appeals upheld"},
	"ratings.windows":      {"窗口排名", "Windows, ranked"},
	"ratings.staff":        {"工作人员", "Staff"},
	"ratings.points":       {"服务网点", "Service points"},
	"ratings.departments":  {"部门", "Departments"},
	"ratings.none":         {"本月暂无评价。", "No ratings this month."},
	"ratings.rank":         {"名次", "Rank"},
	"ratings.name":         {"名称", "Name"},

	"satisfaction.nav":   {"服务满意度", "Satisfaction"},
	"satisfaction.title": {"各服务网点满意度", "Satisfaction at each service point"},
	"satisfaction.lead":  {"%s 月，满意率 =（非常满意 + 满意 + 基本满意）÷ 评价总数。", "%s: satisfaction = (very satisfied + satisfied + fairly satisfied) ÷ all ratings."},
	"satisfaction.none":  {"本月暂无评价。", "No ratings this month."},
	"satisfaction.point": {"服务网点", "Service point"},
}

// The rating texts join the catalogue once, before any page is served; a
// key in both would hide a text, so it stops the program at once.
func init() {
	for k, v := range ratingMessages {
		if _, dup := messages[k]; dup {
			panic("web: message " + k + " is defined twice")
		}
		messages[k] = v
	}
}
