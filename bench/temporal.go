package bench

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"sync/atomic"
)

// TemporalClient starts and signals workflows through the HTTP API of a
// Temporal frontend (the JSON form of its gRPC API, which
// `temporal server start-dev --http-port` serves). No worker is needed: a
// start and a signal are recorded durably in the workflow's history when
// the answer comes, which is what a case's create and its transitions are
// on onewindow's side. Temporal is never a dependency of the project: this
// is plain HTTP.
type TemporalClient struct {
	http      *Client
	Namespace string
	TaskQueue string
	// WorkflowType is the type the workflows are started with; nothing
	// runs it.
	WorkflowType string
	prefix       string
	seq          atomic.Int64
}

// NewTemporalClient returns a client of the Temporal HTTP API at base
// keeping up to conns connections open.
func NewTemporalClient(base string, conns int) *TemporalClient {
	return &TemporalClient{http: NewClient(base, conns), Namespace: "default", TaskQueue: "onewindow-bench",
		WorkflowType: "CaseLife", prefix: "bench-" + randomSuffix() + "-"}
}

// Close drops the idle connections.
func (t *TemporalClient) Close() { t.http.Close() }

// temporalPayload is one payload of the API: JSON data, base64 in the
// JSON form of the API as every bytes field.
type temporalPayload struct {
	Metadata map[string]string `json:"metadata"`
	Data     string            `json:"data"`
}

type temporalPayloads struct {
	Payloads []temporalPayload `json:"payloads"`
}

type temporalName struct {
	Name string `json:"name"`
}

// temporalStart is the body of a StartWorkflowExecution request.
type temporalStart struct {
	WorkflowID   string           `json:"workflowId"`
	WorkflowType temporalName     `json:"workflowType"`
	TaskQueue    temporalName     `json:"taskQueue"`
	Input        temporalPayloads `json:"input"`
	RequestID    string           `json:"requestId"`
}

// temporalSignal is the body of a SignalWorkflowExecution request.
type temporalSignal struct {
	Input     temporalPayloads `json:"input"`
	RequestID string           `json:"requestId"`
}

func jsonPayloads(v any) (temporalPayloads, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return temporalPayloads{}, err
	}
	enc := base64.StdEncoding.EncodeToString
	return temporalPayloads{Payloads: []temporalPayload{{
		Metadata: map[string]string{"encoding": enc([]byte("json/plain"))}, Data: enc(b)}}}, nil
}

// NewWorkflowID returns a workflow id not used before by this client.
func (t *TemporalClient) NewWorkflowID() string {
	return fmt.Sprintf("%s%d", t.prefix, t.seq.Add(1))
}

func (t *TemporalClient) path(id string) string {
	return "/api/v1/namespaces/" + url.PathEscape(t.Namespace) + "/workflows/" + url.PathEscape(id)
}

// Start starts workflow id with input as its one argument.
func (t *TemporalClient) Start(ctx context.Context, id string, input any) error {
	in, err := jsonPayloads(input)
	if err != nil {
		return err
	}
	body := temporalStart{WorkflowID: id, WorkflowType: temporalName{t.WorkflowType}, TaskQueue: temporalName{t.TaskQueue},
		Input: in, RequestID: id + "/start"}
	var out struct {
		RunID   string `json:"runId"`
		Started bool   `json:"started"`
	}
	if err := t.http.Do(ctx, "POST", t.path(id), "", body, 200, &out); err != nil {
		return err
	}
	if out.RunID == "" {
		return fmt.Errorf("temporal: start %s: no run id in the answer", id)
	}
	return nil
}

// Signal sends signal name with input to workflow id.
func (t *TemporalClient) Signal(ctx context.Context, id, name string, input any) error {
	in, err := jsonPayloads(input)
	if err != nil {
		return err
	}
	return t.http.Do(ctx, "POST", t.path(id)+"/signal/"+url.PathEscape(name), "",
		temporalSignal{Input: in, RequestID: id + "/" + name}, 200, nil)
}

// temporalCase is the input a workflow starts with: what onewindow's create
// carries (item, applicant, the materials presented).
type temporalCase struct {
	Item      string         `json:"item"`
	Materials []string       `json:"materials"`
	Applicant map[string]any `json:"applicant"`
}

// CreateAccept is Temporal's equivalent of an intake: the workflow started
// with the application, then the signal that accepts it.
func (t *TemporalClient) CreateAccept(ctx context.Context, c temporalCase) error {
	id := t.NewWorkflowID()
	if err := t.Start(ctx, id, c); err != nil {
		return err
	}
	return t.Signal(ctx, id, "accept", map[string]any{"version": 1})
}

// LifeSignals are the signals after the start that match onewindow's full
// life of a case (fullLife): accept, approve, prepare_result, issue.
var LifeSignals = []string{"accept", "approve", "prepare_result", "issue"}

// FullLife is Temporal's equivalent of a case's full life: the start and
// the four signals of LifeSignals, one after another.
func (t *TemporalClient) FullLife(ctx context.Context, c temporalCase) error {
	id := t.NewWorkflowID()
	if err := t.Start(ctx, id, c); err != nil {
		return err
	}
	for i, s := range LifeSignals {
		in := map[string]any{"version": i + 1}
		if s == "issue" {
			in["issue_method"] = "window"
		}
		if err := t.Signal(ctx, id, s, in); err != nil {
			return err
		}
	}
	return nil
}
