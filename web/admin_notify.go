package web

import (
	"context"
	"net/url"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/notify"
)

// setDepartmentHead marks a reviewer as their department's head (who is
// told of SLA breaches), or unmarks them.
func (w *Web) setDepartmentHead(ctx context.Context, c *call) (answer, error) {
	u, err := w.Auth.SetDepartmentHead(ctx, c.User, c.ID, c.Form("head") == "1")
	if err != nil {
		return nil, err
	}
	done := "head_unset"
	if u.DepartmentHead {
		done = "head_set"
	}
	return seeOther("/admin/users?done=" + done + "&username=" + url.QueryEscape(u.Username)), nil
}

// userID is what an {id} naming no user is.
var userID = withID("user_not_found", apperr.M("用户不存在", "no such user"))

// NotifyChannelName names a channel given as text (the figures' rows).
func (l Lang) NotifyChannelName(ch string) string { return l.NotifyChannel(notify.Channel(ch)) }
