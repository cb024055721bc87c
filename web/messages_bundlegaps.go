package web

// bundleGapMessages: the front desk's 不予受理 of a bundle application, and
// the results each collector took on the bundle page (see mergeMessages).
var bundleGapMessages = map[string][2]string{
	"bundle_case.not_accepted":       {"已决定不予受理，申请人可在本页看到理由。", "Not accepted: the applicant sees the reasons on this page."},
	"bundle_case.not_accept_reasons": {"不予受理理由", "Reasons for not accepting"},
	"bundle_case.reasons_box":        {"不予受理理由（选择不予受理时必填）", "Reasons for not accepting (needed to not accept)"},
	"bundle_case.ask_not_accept":     {"确定对这件一件事申请不予受理吗？", "Refuse to accept this bundle application?"},
	"bundle_case.ask_detail":         {"作出后整件申请即告终结，其中的事项都不再办理，不能更改。", "The whole application ends, none of its items goes on, and this cannot be changed."},
	"bundle_case.collected_items":    {"领取的结果", "Results collected"},
}

func init() { mergeMessages(bundleGapMessages) }
