package web

// notifyMessages are the texts of the notification pages added with the
// department head flag and the webhook subscriptions (see mergeMessages).
var notifyMessages = map[string][2]string{
	// The department head flag on the users page (admin_notify.go).
	"adminuser.head":        {"部门负责人", "Department head"},
	"adminuser.make_head":   {"设为部门负责人", "Make department head"},
	"adminuser.unmake_head": {"取消部门负责人", "No longer head"},
	"adminuser.head_set":    {"%s 已设为部门负责人：本部门办件超期时由其接收超期报告。", "%s is now the department head and is told when a case of the department breaches its time limit."},
	"adminuser.head_unset":  {"%s 不再是部门负责人。", "%s is no longer the department head."},

	// Notification figures (admin_deliveries.html, admin_figures.html).
	"notifyfig.messages": {"消息数", "Messages"},
	"notifyfig.failures": {"失败尝试", "Failed tries"},
	"notifyfig.delay":    {"平均送达用时（秒）", "Mean delay (s)"},
	"notifyfig.title":    {"通知送达", "Notifications"},
	"notifyfig.lead":     {"期间各渠道产生、发出和失败的消息数，以及从事件到发出的平均用时（全省，不分网点和部门）。", "Messages made, sent and failed per channel in the period, and the mean time from event to sending (province-wide: messages belong to no point or department)."},

	// Webhook subscriptions (admin_webhooks.go).
	"webhooks.title":            {"部门系统推送（Webhook）", "Department webhooks"},
	"webhooks.lead":             {"部门业务系统订阅办件事件：本系统以 HTTPS POST 推送事件 JSON，并附 HMAC-SHA256 签名和时间戳。", "Department systems subscribe to case events: they are posted as JSON over HTTPS with an HMAC-SHA256 signature and a timestamp."},
	"webhooks.list":             {"订阅", "Subscriptions"},
	"webhooks.none":             {"还没有订阅。", "No subscriptions yet."},
	"webhooks.name":             {"名称", "Name"},
	"webhooks.url":              {"推送地址", "Receiver URL"},
	"webhooks.url_hint":         {"须为 HTTPS；内部网络的地址须由运维在 --webhook-allow-networks 中列出。", "HTTPS only; an address on an internal network must be listed by the operator in --webhook-allow-networks."},
	"webhooks.event_types":      {"事件类型", "Event types"},
	"webhooks.event_types_hint": {"用逗号或空格分隔，如 case.approve、case.*、case.ready；留空为全部。", "Separated by commas or spaces, e.g. case.approve, case.* or case.ready; empty: all."},
	"webhooks.departments":      {"部门", "Departments"},
	"webhooks.departments_hint": {"只推送这些部门的事件；都不选为全部。", "Only events of these departments; none chosen: all."},
	"webhooks.all":              {"全部", "all"},
	"webhooks.state":            {"状态", "State"},
	"webhooks.on":               {"推送中", "on"},
	"webhooks.off":              {"已停用", "switched off"},
	"webhooks.add":              {"新增订阅", "Add a subscription"},
	"webhooks.secret_hint":      {"签名密钥由系统生成，只在保存后显示一次。", "The signing secret is made by the system and shown once, after saving."},
	"webhooks.created":          {"已新增订阅“%s”。", "The subscription “%s” is added."},
	"webhooks.secret_title":     {"签名密钥（只显示这一次）", "Signing secret (shown this once)"},
	"webhooks.secret_once":      {"请立即把下面的密钥交给部门系统的管理员保存。离开本页后无法再次查看；如遗失，请新建订阅并停用旧的。", "Give this secret to the department system's administrator now. It cannot be shown again; if it is lost, add a new subscription and switch the old one off."},
	"webhooks.switch_off":       {"停用推送", "Switch off"},
	"webhooks.switch_on":        {"恢复推送", "Switch on"},
	"webhooks.switched_off":     {"已停用：不再推送新事件，未发出的消息不再重试。", "Switched off: no new events are posted, and waiting messages are not tried again."},
	"webhooks.switched_on":      {"已恢复推送。", "Switched on again."},
	"webhooks.replay":           {"重放", "Replay"},
	"webhooks.replay_hint":      {"把这段时间（中国时间）内符合过滤条件的事件按原消息编号重新推送，接收方可据此去重。", "Posts again every event of this time range (China time) that the filters pass, under its original message id, so the receiver can drop repeats."},
	"webhooks.from":             {"开始", "From"},
	"webhooks.to":               {"结束", "To"},
	"webhooks.replay_button":    {"重放", "Replay"},
	"webhooks.replayed":         {"已安排重放 %s 条事件。", "%s events queued for replay."},
	"webhooks.recent":           {"最近的推送", "Recent deliveries"},
	"webhooks.no_deliveries":    {"还没有推送记录。", "Nothing posted yet."},
}

func init() { mergeMessages(notifyMessages) }
