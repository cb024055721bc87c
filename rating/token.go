package rating

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onewindow/onewindow/apperr"
)

// Rating links and pads are signed with the server's rating key
// (HMAC-SHA-256), so that they need no storage and work on every server
// sharing the database. A link names one case and when it stops working;
// a pad's address names one window of one point and works until the key
// changes.

const (
	linkPurpose = "onewindow rating link v1\x00"
	padPurpose  = "onewindow rating pad v1\x00"
)

func mac(key []byte, purpose, payload string) string {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(purpose))
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:18])
}

// SignLink returns the token of a link that rates case caseID until expires.
func SignLink(key []byte, caseID int64, expires time.Time) string {
	payload := strconv.FormatInt(caseID, 10) + "." + strconv.FormatInt(expires.Unix(), 36)
	return payload + "." + mac(key, linkPurpose, payload)
}

// errBadLink is every refusal of a link, so that a forged one learns nothing.
func errBadLink() *apperr.Error {
	e := apperr.NotFoundf("rating_link_invalid", apperr.M("评价链接无效或已过期", "the rating link is not valid or has expired"))
	e.Denied = true
	return e
}

// ParseLink checks a link's token at now and returns the case it rates.
func ParseLink(key []byte, token string, now time.Time) (int64, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || len(token) > 200 {
		return 0, errBadLink()
	}
	payload := parts[0] + "." + parts[1]
	if subtle.ConstantTimeCompare([]byte(mac(key, linkPurpose, payload)), []byte(parts[2])) != 1 {
		return 0, errBadLink()
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 36, 64)
	if err1 != nil || err2 != nil || id <= 0 || !now.Before(time.Unix(exp, 0)) {
		return 0, errBadLink()
	}
	return id, nil
}

// PadKey is the key in a pad's address for one window of one point.
func PadKey(key []byte, point, window string) string {
	return mac(key, padPurpose, fmt.Sprintf("%s\x00%s", point, window))
}

// ValidPadKey reports whether got is the pad key of the window.
func ValidPadKey(key []byte, point, window, got string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(PadKey(key, point, window)), []byte(got)) == 1
}
