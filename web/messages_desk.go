package web

// deskMessages are the texts of the front desk's decision panel, the
// issuing window's record of who collected a result, and the
// administrators' searchable lists (see mergeMessages).
var deskMessages = map[string][2]string{
	// The front desk's one panel on a case: the checklist once, then the decision.
	"panel.title":           {"核验材料并作出决定", "Check the materials and decide"},
	"panel.checklist":       {"本次收到的材料", "Materials received now"},
	"panel.checklist_hint":  {"勾选申请人本次当场提交的材料；已提交的材料列在下方材料表中。", "Tick what the applicant hands in now; what was provided before is in the materials table below."},
	"panel.all_provided":    {"申请材料均已提交。", "Every material has been provided."},
	"panel.decision":        {"决定", "Decision"},
	"panel.accept":          {"受理", "Accept"},
	"panel.accept_hint":     {"必要材料齐全，出具受理通知书，案件转审批部门。", "The required materials are complete: a notice of acceptance is printed and the case goes to the department."},
	"panel.accept_waiver":   {"容缺受理", "Accept with materials to follow"},
	"panel.waiver_hint":     {"只缺可容缺的材料：先受理，申请人在期限内补齐。", "Only materials that may follow are missing: accept now, the applicant brings them by a date."},
	"panel.notify":          {"一次性告知", "One-time notice of what is missing"},
	"panel.notify_hint":     {"一次列出全部缺少的材料，出具一次性告知书。", "Lists every missing material at once on a printed notice."},
	"panel.supplement":      {"材料已补齐", "Materials now complete"},
	"panel.supplement_hint": {"申请人补交了告知的材料，案件回到办理中。", "The applicant brought what the notice asked for; the case goes on."},
	"panel.receive":         {"收件，稍后决定", "Receive now, decide later"},
	"panel.receive_hint":    {"收下网上申请，暂不作出决定。", "Takes the online application in without deciding yet."},
	"panel.not_accept":      {"不予受理", "Do not accept"},
	"panel.not_accept_hint": {"不属于受理范围或不符合法定条件：出具不予受理通知书，案件终结。", "Outside what may be accepted or not meeting the legal conditions: a notice of non-acceptance is printed and the case ends."},
	"panel.return":          {"退回申请人修改", "Return to the applicant to correct"},
	"panel.return_hint":     {"网上申请有误，退回后申请人可修改再提交。", "The online application has errors: the applicant corrects it and sends it again."},
	"panel.reasons":         {"理由（不予受理、退回时必填）", "Reasons (needed to not accept or to return)"},
	"panel.waiver_days":     {"容缺材料补齐期限（工作日，留空按事项规定）", "Working days to bring the materials that follow (empty: the item's own)"},
	"panel.submit":          {"确认办理", "Confirm"},
	"panel.others":          {"其他操作", "Other actions"},
	"panel.ask_not_accept":  {"确定不予受理吗？", "Refuse to accept this application?"},
	"panel.ask_detail":      {"作出后案件即告终结，将出具不予受理通知书，不能更改。", "The case ends, a notice of non-acceptance is printed, and this cannot be changed."},

	// The issuing window: who collected the result (领取人).
	"collect.title":         {"领取人（窗口领取时填写）", "Who collects the result (when collected at the window)"},
	"collect.name":          {"领取人姓名", "Collector's name"},
	"collect.id_number":     {"领取人身份证号码", "Collector's identity card number"},
	"collect.id_hint":       {"请核对领取人出示的身份证件。", "Check the identity card the collector shows."},
	"collect.relation":      {"与申请人的关系", "Relation to the applicant"},
	"collect.self":          {"申请人本人", "The applicant in person"},
	"collect.agent":         {"受托代领（须出示授权委托书）", "An agent with the applicant's authorisation"},
	"collect.authorisation": {"授权委托书（编号或说明，代领时必填）", "Authorisation (its number or a description; needed for an agent)"},
	"collect.signature":     {"领取人签名", "Collector's signature"},
	"collect.sign_hint":     {"请领取人在框内签名。", "The collector signs in the box."},
	"collect.pad_label":     {"签名板：请用手指、触控笔或鼠标签名", "Signature pad: sign with a finger, a stylus or the mouse"},
	"collect.clear":         {"重新签名", "Clear and sign again"},
	"collect.slip":          {"或上传签字回执的照片（JPEG或PNG）", "Or upload a photo of the signed slip (JPEG or PNG)"},
	"collect.recorded":      {"领取记录", "Collected by"},
	"collect.signature_alt": {"领取人签名", "The collector's signature"},
	"collect.kind_drawn":    {"当场签名", "signed on screen"},
	"collect.kind_slip":     {"签字回执照片", "photo of the signed slip"},

	// The administrators' lists: search, filters and pages.
	"list.search":       {"搜索", "Search"},
	"list.all":          {"全部", "All"},
	"list.shown":        {"第%d–%d条，共%d条", "%d–%d of %d"},
	"list.none":         {"没有符合条件的记录。", "Nothing matches."},
	"list.clear":        {"清除条件", "Clear"},
	"list.level":        {"层级", "Level"},
	"list.kind":         {"类型", "Kind"},
	"list.department":   {"部门", "Department"},
	"list.points_q":     {"网点名称、编码或地址", "Point name, code or address"},
	"list.users_q":      {"用户名或姓名", "Username or name"},
	"list.point_code":   {"网点编码", "Point code"},
	"admin_cases.title": {"全部办件", "Every case"},
	"admin.cases_hint":  {"按状态、时限、编号、部门或网点查找", "Find by state, time limit, number, department or point"},
}

func init() { mergeMessages(deskMessages) }
