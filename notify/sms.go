package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// SMSGateway sends SMS through an HTTP gateway shaped like the domestic
// providers' APIs: a registered template code, its parameters and the
// registered signature name, never free text (docs/NOTIFICATIONS.md).
//
// It speaks two forms of the interface. The single form posts one message
// a request. The batch form (Batch > 1) posts up to Batch messages in one
// request and reads one answer per message: at a busy hour the notifier
// then makes one HTTP round trip, one JSON body and one answer for a
// hundred messages rather than a hundred of each.
type SMSGateway struct {
	URL      string
	SignName string
	Key      string // sent as a bearer token when set
	Client   *http.Client
	// Batch is how many messages one request carries in the batch form;
	// 0 or 1: the single form, for gateways that do not batch.
	Batch int
}

// MaxSMSBatch is the most messages a batch may carry: a notifier's round
// claims at most a thousand.
const MaxSMSBatch = 1000

// SMSRequest is what the gateway receives in the single form, and each
// message of the batch form.
type SMSRequest struct {
	PhoneNumber   string            `json:"phone_number"`
	SignName      string            `json:"sign_name"`
	TemplateCode  string            `json:"template_code"`
	TemplateParam map[string]string `json:"template_param"`
	OutID         string            `json:"out_id"` // the stable message id: the gateway drops a repeat
}

// SMSResponse is the gateway's answer to the single form.
type SMSResponse struct {
	Code    string `json:"code"` // OK, or the reason
	Message string `json:"message"`
	BizID   string `json:"biz_id"`
}

// SMSBatchRequest is the batch form's body: the single form's messages in
// a list.
type SMSBatchRequest struct {
	Messages []SMSRequest `json:"messages"`
}

// SMSBatchResponse is the gateway's answer to a batch: Code OK when the
// batch was read, and one result per message, named by its out_id. A batch
// answered with another Code and no results failed as a whole, for that
// reason.
type SMSBatchResponse struct {
	Code    string      `json:"code"`
	Message string      `json:"message"`
	Results []SMSResult `json:"results"`
}

// SMSResult is the answer for one message of a batch: the single form's
// answer with the message's out_id.
type SMSResult struct {
	OutID   string `json:"out_id"`
	Code    string `json:"code"`
	Message string `json:"message"`
	BizID   string `json:"biz_id"`
}

// smsFinal are gateway answers that trying again will not change.
var smsFinal = map[string]bool{"MOBILE_NUMBER_ILLEGAL": true, "TEMPLATE_MISSING": true, "SIGNATURE_ILLEGAL": true,
	"PARAMS_ILLEGAL": true, "BLACK_KEY_CONTROL_LIMIT": true}

// BatchSender is a Sender that can also deliver several messages in one
// call. The notifier hands it up to BatchSize messages at a time.
type BatchSender interface {
	Sender
	// BatchSize is how many messages one SendBatch call takes; 1 or less:
	// the notifier calls Send for each.
	BatchSize() int
	// SendBatch delivers ds and returns one error per message, in order:
	// nil when it was accepted, a *Refusal when trying again will not
	// change the answer, any other error when it will be tried again.
	SendBatch(ctx context.Context, ds []*Delivery) []error
}

func (g *SMSGateway) request(d *Delivery) SMSRequest {
	ev, _ := EventByKey(d.Event)
	return SMSRequest{PhoneNumber: d.Address, SignName: g.SignName, TemplateCode: ev.SMSCode, TemplateParam: d.Params, OutID: d.MessageID}
}

func (g *SMSGateway) headers(h http.Header) {
	if g.Key != "" {
		h.Set("Authorization", "Bearer "+g.Key)
	}
}

// Send posts one SMS in the single form.
func (g *SMSGateway) Send(ctx context.Context, d *Delivery) error {
	body, _ := json.Marshal(g.request(d))
	var out SMSResponse
	status, err := postJSON(ctx, g.client(), g.URL, body, g.headers, &out)
	if err != nil {
		return fmt.Errorf("sms gateway: %w", err)
	}
	if err := smsStatusError(status, out.Code, out.Message); err != nil {
		return err
	}
	return smsCodeError(out.Code, out.Message)
}

// BatchSize is Batch, at least 1.
func (g *SMSGateway) BatchSize() int { return max(1, g.Batch) }

// SendBatch posts ds in one request of the batch form. What went wrong
// with the request as a whole (no connection, an HTTP error, a batch not
// read) is every message's outcome; otherwise each message has its own
// answer, and one the gateway did not answer is tried again (the gateway
// drops a repeat by its out_id).
func (g *SMSGateway) SendBatch(ctx context.Context, ds []*Delivery) []error {
	req := SMSBatchRequest{Messages: make([]SMSRequest, len(ds))}
	for i, d := range ds {
		req.Messages[i] = g.request(d)
	}
	body, _ := json.Marshal(req)
	var out SMSBatchResponse
	status, err := postJSON(ctx, g.client(), g.URL, body, g.headers, &out)
	if err != nil {
		return sameError(len(ds), fmt.Errorf("sms gateway: %w", err))
	}
	if err := smsStatusError(status, out.Code, out.Message); err != nil {
		return sameError(len(ds), err)
	}
	if out.Code != "OK" && len(out.Results) == 0 {
		return sameError(len(ds), smsCodeError(out.Code, out.Message))
	}
	byID := make(map[string]*SMSResult, len(out.Results))
	for i := range out.Results {
		byID[out.Results[i].OutID] = &out.Results[i]
	}
	errs := make([]error, len(ds))
	for i, d := range ds {
		r := byID[d.MessageID]
		if r == nil {
			errs[i] = fmt.Errorf("sms gateway: the batch's answer has no result for this message")
			continue
		}
		errs[i] = smsCodeError(r.Code, r.Message)
	}
	return errs
}

func sameError(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// smsStatusError reads the HTTP status of either form: 5xx, 408 and 429
// are tried again, other 4xx are final.
func smsStatusError(status int, code, message string) error {
	switch {
	case status >= 500 || status == http.StatusTooManyRequests || status == http.StatusRequestTimeout:
		return fmt.Errorf("sms gateway: HTTP %d %s", status, code)
	case status >= 400:
		return refused("sms gateway: HTTP %d %s %s", status, code, message)
	}
	return nil
}

// smsCodeError reads a message's answer code: OK, a final refusal, or a
// failure tried again.
func smsCodeError(code, message string) error {
	switch {
	case code == "OK":
		return nil
	case smsFinal[code]:
		return refused("sms gateway: %s %s", code, message)
	}
	return fmt.Errorf("sms gateway: %s %s", code, message)
}

func (g *SMSGateway) client() *http.Client {
	if g.Client != nil {
		return g.Client
	}
	return defaultClient
}
