package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/notify"
)

// setDepartmentHead marks a reviewer as their department's head (who is
// told of SLA breaches), or unmarks them.
func (w *Web) setDepartmentHead(rw http.ResponseWriter, r *http.Request, s *session) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.NotFoundf("user_not_found", apperr.M("用户不存在", "no such user"))
	}
	u, err := w.Auth.SetDepartmentHead(r.Context(), *s.User, id, r.PostFormValue("head") == "1")
	if err != nil {
		return err
	}
	done := "head_unset"
	if u.DepartmentHead {
		done = "head_set"
	}
	http.Redirect(rw, r, "/admin/users?done="+done+"&username="+url.QueryEscape(u.Username), http.StatusSeeOther)
	return nil
}

// NotifyChannelName names a channel given as text (the figures' rows).
func (l Lang) NotifyChannelName(ch string) string { return l.NotifyChannel(notify.Channel(ch)) }
