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
}

func init() { mergeMessages(notifyMessages) }
