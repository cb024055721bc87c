package web

// applicantMessages are the texts of the applicant's pages (the item guide,
// applying online, the confirmation, bundles online, pickers), merged into
// the one catalogue (which the catalogue test checks as a whole).
var applicantMessages = map[string][2]string{
	"apply.refused_title":           {"您不能在线申请本事项", "You cannot apply for this online"},
	"apply.refused_enterprise_only": {"本事项只面向企业等法人办理，个人账号不能申请。", "This item is for enterprises only: a personal account cannot apply for it."},
	"apply.refused_what_now":        {"请用企业账号登录后申请；企业的法定代表人或经办人也可以携带营业执照和授权材料到窗口办理。", "Sign in with the enterprise's account to apply, or go to a service window with the business licence and the enterprise's authorisation."},
	"apply.refused_where":           {"查看办理地点和时间", "See where and when it is handled"},
	"apply.kept":                    {"已上传：%s（无需重新选择；选择新文件即替换）", "Uploaded: %s (no need to choose it again; a new file replaces it)"},

	"submitted.title":           {"申请已提交", "Application sent"},
	"submitted.heading":         {"申请已提交", "Application sent"},
	"submitted.your_number":     {"您的办件编号", "Your case number"},
	"submitted.sent_to":         {"您申请的“%s”已提交到%s。", "Your application for %s was sent to %s."},
	"submitted.promised":        {"承诺办结时限", "Promised time limit"},
	"submitted.due":             {"承诺办结日期", "Due by"},
	"submitted.due_if_today":    {"如今天受理，预计办结日期", "Due by, if accepted today"},
	"submitted.missing_title":   {"还缺少以下材料", "Still missing"},
	"submitted.missing_hint":    {"点击材料名称即可在办件页上传；材料齐全后才能受理。", "Choose a material to upload it on the case page; the case is accepted once everything is there."},
	"submitted.next_title":      {"接下来会怎样", "What happens next"},
	"submitted.next_check":      {"受理窗口审核您的材料。如有缺少或不符，会一次性告诉您全部需要补充的内容。", "The service window checks your materials. If anything is missing or wrong, you are told everything at once."},
	"submitted.next_decide":     {"受理后，承办部门在%d个工作日内办结（从受理次日起算）。", "Once accepted, the department decides within %d working day{|s} (counted from the day after acceptance)."},
	"submitted.next_decide_now": {"本事项为即办件，受理后当场办结。", "This item is decided on the spot once accepted."},
	"submitted.next_result":     {"办结后，您可以到受理网点的出证窗口领取结果，或按您选择的方式送达。", "Once decided, collect the result at the point's issuing window, or have it sent as you choose."},
	"submitted.next_told":       {"每一步都会通过站内信和短信通知您，也可以随时在“我的办件”中查看进度。", "You are told of every step by message and SMS, and can follow it at any time under My cases."},
	"submitted.see_case":        {"查看办件", "See the case"},
	"submitted.my_cases":        {"我的办件", "My cases"},
}

func init() { mergeMessages(applicantMessages) }

var guideMessages = map[string][2]string{
	"guide.audience":             {"服务对象", "Who it is for"},
	"guide.audience_persons":     {"自然人", "Individuals"},
	"guide.audience_enterprises": {"企业法人", "Enterprises and other organisations"},
	"guide.audience_both":        {"自然人、企业法人", "Individuals, enterprises and other organisations"},
	"guide.book":                 {"预约办理", "Book a visit"},
	"guide.booking_item":         {"预约办理的事项", "The visit is for"},
}

func init() { mergeMessages(guideMessages) }

var bundleOnlineMessages = map[string][2]string{
	"bundle_online.title":          {"一件事在线申请", "Apply online for a bundle"},
	"bundle_online.apply":          {"在线申请", "Apply online"},
	"bundle_online.lead":           {"填写一张表，即可同时申请下列全部事项；受理窗口一次核验全部材料。", "One form applies for every item below; the service window checks all the materials once."},
	"bundle_online.materials":      {"需要准备的材料", "Materials to prepare"},
	"bundle_online.materials_hint": {"每份材料只需提交一次；受理窗口核验后，缺少的会一次性告诉您。", "Each material is needed once; after the window's check you are told at once of anything missing."},
	"bundle_online.not_open":       {"以下事项只面向企业等法人办理，个人账号不能在线申请本一件事：", "These items are for enterprises only, so a personal account cannot apply for this bundle online:"},
	"bundle_online.sent":           {"一件事申请已提交，受理窗口核验材料后会通知您。", "Your bundle application was sent; the service window will tell you after checking the materials."},
}

func init() { mergeMessages(bundleOnlineMessages) }

var guidePartMessages = map[string][2]string{
	"guide.steps":      {"办理流程", "Steps"},
	"guide.faq":        {"常见问题", "Common questions"},
	"guide.downloads":  {"表格下载", "Forms to download"},
	"guide.doc_blank":  {"空白表格", "Blank form"},
	"guide.doc_sample": {"示例样表", "Filled-in sample"},
	"guide.aliases":    {"又称", "Also known as"},

	"adminguide.title":        {"办事指南：流程、问题和表格", "Guide: steps, questions and forms"},
	"adminguide.lead":         {"在这里写办理流程和常见问题，上传空白表格和示例样表。每次保存都存为事项的草稿，发布后申请人可见。", "Write the steps and common questions, and upload blank forms and samples here. Each save goes into the item's draft; applicants see it once published."},
	"adminguide.steps_hint":   {"每行一步，按顺序。", "One step a line, in order."},
	"adminguide.faq_hint":     {"问题写在第一行，回答写在下面几行；问题之间空一行。", "The question on its first line, the answer below it; a blank line between questions."},
	"adminguide.save":         {"保存流程和问题", "Save steps and questions"},
	"adminguide.saved":        {"已存为草稿，发布后生效。", "Saved as the draft; it takes effect once published."},
	"adminguide.remove":       {"删除", "Remove"},
	"adminguide.no_docs":      {"还没有可下载的表格。", "No forms to download yet."},
	"adminguide.kind":         {"表格种类", "Kind of form"},
	"adminguide.doc_name":     {"表格名称", "Name of the form"},
	"adminguide.material":     {"对应的申请材料", "The material it is the form of"},
	"adminguide.no_material":  {"不对应某项材料", "None in particular"},
	"adminguide.file":         {"文件（PDF、JPG 或 PNG）", "File (PDF, JPG or PNG)"},
	"adminguide.attach":       {"上传表格", "Upload the form"},
	"adminguide.publish_hint": {"修改存为草稿；请到事项页面发布。", "Changes are kept as the draft: publish it on the item's page."},
	"adminguide.link":         {"流程、问题和表格下载", "Steps, questions and forms"},
}

func init() { mergeMessages(guidePartMessages) }

var pickerMessages = map[string][2]string{
	"picker.title":   {"选择事项", "Choose an item"},
	"picker.label":   {"要办的事项（选填）", "The item of the visit (optional)"},
	"picker.hint":    {"输入事项名称、常用叫法或拼音首字母搜索，如“社保卡”或“sbk”，再从结果中选择。", "Search by the item's name, a common name or pinyin initials (such as sbk), then choose from the results."},
	"picker.none":    {"没有找到相符的事项，请换个说法试试。", "No item matches; try other words."},
	"picker.no_item": {"不指定事项", "No item in particular"},
}

func init() { mergeMessages(pickerMessages) }
