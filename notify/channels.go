package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"net/netip"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// Sender delivers one message on one channel. An error is temporary (the
// message is tried again later) unless it is a *Refusal.
type Sender interface {
	Send(ctx context.Context, d *Delivery) error
}

// Refusal is an answer that trying again will not change: a mailbox that
// does not exist, a number the gateway rejects, a webhook answering 4xx.
type Refusal struct{ Reason string }

func (r *Refusal) Error() string { return r.Reason }

func refused(format string, a ...any) error { return &Refusal{Reason: fmt.Sprintf(format, a...)} }

// IsRefusal reports whether err is final.
func IsRefusal(err error) bool {
	var r *Refusal
	return errors.As(err, &r)
}

// sendTimeout bounds one attempt on any channel: a slow receiver costs one
// try, not the notifier.
const sendTimeout = 30 * time.Second

// SMTP sends e-mail through one SMTP server.
type SMTP struct {
	Addr     string // host:port
	Host     string // for the TLS certificate check
	Implicit bool   // TLS from the first byte (smtps, port 465); otherwise STARTTLS
	Plain    bool   // no TLS at all: only for a relay on the same machine
	Username string
	Password string
	From     string
	// TLS, when set, is used for the handshake (tests trust their own
	// certificate here); the server name is always checked.
	TLS *tls.Config
	// Now dates the messages (the server's clock).
	Now func() time.Time
}

// ParseSMTPURL reads --smtp-url: smtp://user:pass@host:587?from=addr (STARTTLS,
// required), smtps://user:pass@host:465?from=addr (TLS from the start), or
// smtp+plain://host:25?from=addr (no TLS; a relay on the same machine only).
func ParseSMTPURL(raw string) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %v", err)
	}
	s := &SMTP{Host: u.Hostname()}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		s.Implicit = true
		if port == "" {
			port = "465"
		}
	case "smtp+plain":
		s.Plain = true
		if port == "" {
			port = "25"
		}
	default:
		return nil, fmt.Errorf("scheme must be smtp (STARTTLS), smtps (TLS) or smtp+plain, not %q", u.Scheme)
	}
	if s.Host == "" {
		return nil, errors.New("no host")
	}
	s.Addr = net.JoinHostPort(s.Host, port)
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	s.From = u.Query().Get("from")
	if s.From == "" {
		return nil, errors.New("name the sender: ?from=noreply@example.cn")
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return nil, fmt.Errorf("from: %v", err)
	}
	return s, nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.TLS != nil {
		c = s.TLS.Clone()
	}
	c.ServerName = s.Host
	return c
}

// Send runs one SMTP conversation for d. A 5xx answer is a refusal; a 4xx
// answer, a refused connection or a timeout are tried again.
func (s *SMTP) Send(ctx context.Context, d *Delivery) error {
	dialer := &net.Dialer{Timeout: 10 * time.Second}
	var conn net.Conn
	var err error
	if s.Implicit {
		conn, err = (&tls.Dialer{NetDialer: dialer, Config: s.tlsConfig()}).DialContext(ctx, "tcp", s.Addr)
	} else {
		conn, err = dialer.DialContext(ctx, "tcp", s.Addr)
	}
	if err != nil {
		return fmt.Errorf("smtp: connect: %w", err)
	}
	conn.SetDeadline(time.Now().Add(sendTimeout)) // wall clock: a network timeout
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return smtpError("greeting", err)
	}
	defer c.Close()
	if err := c.Hello("onewindow"); err != nil {
		return smtpError("EHLO", err)
	}
	if !s.Implicit && !s.Plain {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("smtp: the server does not offer STARTTLS")
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fmt.Errorf("smtp: STARTTLS: %w", err)
		}
	}
	if s.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, s.Host)); err != nil {
			return smtpError("AUTH", err)
		}
	}
	if err := c.Mail(s.From); err != nil {
		return smtpError("MAIL FROM", err)
	}
	if err := c.Rcpt(d.Address); err != nil {
		return smtpError("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return smtpError("DATA", err)
	}
	if _, err := w.Write(s.message(d)); err != nil {
		return smtpError("DATA", err)
	}
	if err := w.Close(); err != nil {
		return smtpError("end of DATA", err)
	}
	c.Quit()
	return nil
}

func smtpError(step string, err error) error {
	var tp *textproto.Error
	if errors.As(err, &tp) && tp.Code >= 500 {
		return refused("smtp: %s refused: %d %s", step, tp.Code, tp.Msg)
	}
	return fmt.Errorf("smtp: %s: %w", step, err)
}

// message is the RFC 5322 text: UTF-8, base64, with the stable message id
// as Message-ID so that a repeat after a crash is recognisable.
func (s *SMTP) message(d *Delivery) []byte {
	now := time.Now // wall clock: only when no server clock is set
	if s.Now != nil {
		now = s.Now
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\n", s.From)
	fmt.Fprintf(&b, "To: %s\r\n", d.Address)
	fmt.Fprintf(&b, "Subject: %s\r\n", mime.BEncoding.Encode("UTF-8", d.Subject))
	fmt.Fprintf(&b, "Date: %s\r\n", now().Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@onewindow>\r\n", d.MessageID)
	fmt.Fprintf(&b, "X-Onewindow-Message-Id: %s\r\n", d.MessageID)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(d.Body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}

// defaultClient keeps connections to the gateway and the webhooks open for
// as many messages as the notifier sends at once; the standard client's
// two idle connections per host would mean a new connection (and TLS
// handshake) for most messages of a busy round.
var defaultClient = &http.Client{Timeout: sendTimeout, Transport: &http.Transport{
	Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true, MaxIdleConns: 128, MaxIdleConnsPerHost: 32,
	IdleConnTimeout: 90 * time.Second, TLSHandshakeTimeout: 10 * time.Second}}

// WebhookSender posts events to department systems, signed.
type WebhookSender struct {
	// Client, when set, replaces the guarded client (tests of the other
	// rules); otherwise every connection is checked by ReceiverAllowed.
	Client *http.Client
	// Allow lists the internal networks receivers may be on.
	Allow []netip.Prefix
	// Secrets returns a subscriber's URL and secret (read at send time, so
	// a changed secret applies to retries).
	Lookup func(ctx context.Context, id int64) (url, secret string, err error)
}

// Send posts d's body (the event as JSON) with its signature.
func (w *WebhookSender) Send(ctx context.Context, d *Delivery) error {
	target, secret, err := w.Lookup(ctx, d.SubscriberID)
	if err != nil {
		return err
	}
	ts := time.Now().Unix() // wall clock: the receiver checks the timestamp against its own clock
	body := []byte(d.Body)
	client := w.Client
	if client == nil {
		client = receiverClient(w.Allow)
	}
	status, err := postJSON(ctx, client, target, body, func(h http.Header) {
		h.Set("X-Onewindow-Timestamp", fmt.Sprint(ts))
		h.Set("X-Onewindow-Signature", Sign(secret, ts, body))
		h.Set("X-Onewindow-Message-Id", d.MessageID)
		h.Set("X-Onewindow-Event", d.Topic)
	}, nil)
	if errors.Is(err, errInternalReceiver) {
		return refused("webhook: %v", err)
	}
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	switch {
	case status >= 200 && status < 300:
		return nil
	case status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout:
		return fmt.Errorf("webhook: HTTP %d", status)
	}
	return refused("webhook: HTTP %d", status)
}

// maxAnswer bounds the answer read: a batch of a thousand SMS answers in
// about 100 KB; an answer read to its end leaves the connection reusable.
const maxAnswer = 1 << 20

func postJSON(ctx context.Context, client *http.Client, target string, body []byte, headers func(http.Header), out any) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "onewindow-notifier")
	headers(req.Header)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswer))
	if out != nil && len(raw) > 0 && strings.Contains(resp.Header.Get("Content-Type"), "json") {
		json.Unmarshal(raw, out)
	}
	return resp.StatusCode, nil
}
