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
}

func init() { mergeMessages(notifyMessages) }
