package web

// bundleMessages are the texts of a 一件事 application's 补正 step and the
// files uploaded with it (see mergeMessages).
var bundleMessages = map[string][2]string{
	"bundle_case.files":           {"已上传的材料", "Files uploaded"},
	"bundle_case.supplied":        {"材料已补齐：请核验后受理。", "The materials are complete: check them and accept."},
	"bundle_case.supplement_hint": {"申请人补交一次性告知列出的材料后：勾选收到的材料并确认，再受理。", "When the applicant brings or sends what the one-time notice listed: tick what was received, confirm, then accept."},
	"bundle_supply.title":         {"补正材料", "Supply the missing materials"},
	"bundle_supply.lead":          {"请上传一次性告知列出的材料；也可以携带原件到受理窗口补交。", "Upload the materials the one-time notice lists, or bring them to the service window."},
	"bundle_supply.submit":        {"提交补正材料", "Send the materials"},
	"bundle_supply.sent":          {"补正材料已提交，受理窗口核验后会通知您。", "Your materials were sent; the service window will tell you after checking them."},
}

func init() { mergeMessages(bundleMessages) }
