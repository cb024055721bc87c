package bench

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// temporalRequest is one request a fake Temporal frontend received.
type temporalRequest struct {
	method, path, contentType string
	body                      map[string]any
}

// fakeTemporal answers like the HTTP API of a Temporal frontend and
// records every request; answer may replace the answer of a start.
func fakeTemporal(t *testing.T, startAnswer string) (*httptest.Server, func() []temporalRequest) {
	t.Helper()
	var mu sync.Mutex
	var got []temporalRequest
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var body map[string]any
		if err := json.Unmarshal(b, &body); err != nil {
			http.Error(w, `{"code":3,"message":"not JSON"}`, 400)
			return
		}
		mu.Lock()
		got = append(got, temporalRequest{r.Method, r.URL.EscapedPath(), r.Header.Get("Content-Type"), body})
		mu.Unlock()
		if strings.Contains(r.URL.Path, "/signal/") {
			w.Write([]byte(`{}`))
			return
		}
		w.Write([]byte(startAnswer))
	}))
	t.Cleanup(srv.Close)
	return srv, func() []temporalRequest {
		mu.Lock()
		defer mu.Unlock()
		return append([]temporalRequest(nil), got...)
	}
}

const startedAnswer = `{"runId":"0197","started":true,"status":"WORKFLOW_EXECUTION_STATUS_RUNNING"}`

// payloadOf decodes the one JSON payload of an input.
func payloadOf(t *testing.T, input any) map[string]any {
	t.Helper()
	in, _ := input.(map[string]any)
	ps, _ := in["payloads"].([]any)
	if len(ps) != 1 {
		t.Fatalf("input %v: want one payload", input)
	}
	p := ps[0].(map[string]any)
	meta, _ := p["metadata"].(map[string]any)
	enc, err := base64.StdEncoding.DecodeString(meta["encoding"].(string))
	if err != nil || string(enc) != "json/plain" {
		t.Fatalf("payload encoding %v (%v), want base64 of json/plain", meta["encoding"], err)
	}
	data, err := base64.StdEncoding.DecodeString(p["data"].(string))
	if err != nil {
		t.Fatalf("payload data not base64: %v", err)
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("payload data %q not JSON: %v", data, err)
	}
	return v
}

func TestTemporalClientSendsStartAndSignals(t *testing.T) {
	srv, requests := fakeTemporal(t, startedAnswer)
	c := NewTemporalClient(srv.URL+"/", 2)
	defer c.Close()
	in := temporalCase{Item: "ITEM1", Materials: []string{"m1", "m2"}, Applicant: map[string]any{"name": "周明"}}
	ctx := context.Background()
	if err := c.CreateAccept(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := c.FullLife(ctx, in); err != nil {
		t.Fatal(err)
	}
	got := requests()
	if len(got) != 2+1+len(LifeSignals) {
		t.Fatalf("%d requests, want %d: %+v", len(got), 2+1+len(LifeSignals), got)
	}
	wantSignals := append([]string{"accept"}, LifeSignals...)
	var ids []string
	signal := 0
	for i, r := range got {
		if r.method != "POST" || r.contentType != "application/json" {
			t.Errorf("request %d: %s with %q, want POST of JSON", i, r.method, r.contentType)
		}
		if i == 0 || i == 2 { // the starts
			id, _ := r.body["workflowId"].(string)
			if id == "" || r.path != "/api/v1/namespaces/default/workflows/"+id {
				t.Errorf("start %d: path %s, workflowId %q", i, r.path, id)
			}
			if wt, _ := r.body["workflowType"].(map[string]any); wt["name"] != "CaseLife" {
				t.Errorf("start %d: workflowType %v", i, r.body["workflowType"])
			}
			if tq, _ := r.body["taskQueue"].(map[string]any); tq["name"] != "onewindow-bench" {
				t.Errorf("start %d: taskQueue %v", i, r.body["taskQueue"])
			}
			if p := payloadOf(t, r.body["input"]); p["item"] != "ITEM1" || len(p["materials"].([]any)) != 2 {
				t.Errorf("start %d: input %v", i, p)
			}
			if r.body["requestId"] == "" || r.body["requestId"] == nil {
				t.Errorf("start %d: no requestId", i)
			}
			ids = append(ids, id)
			continue
		}
		id := ids[len(ids)-1]
		want := "/api/v1/namespaces/default/workflows/" + id + "/signal/" + wantSignals[signal]
		if r.path != want {
			t.Errorf("request %d: path %s, want %s", i, r.path, want)
		}
		// The accept of CreateAccept, then FullLife's four: each carries the
		// version the case would be at, and the issue its method.
		version := max(signal, 1)
		p := payloadOf(t, r.body["input"])
		if p["version"] != float64(version) || (wantSignals[signal] == "issue") != (p["issue_method"] == "window") {
			t.Errorf("signal %s: input %v, want version %d", wantSignals[signal], p, version)
		}
		signal++
	}
	if len(ids) != 2 || ids[0] == ids[1] {
		t.Errorf("workflow ids %v: want two different", ids)
	}
}

func TestTemporalClientReportsRefusals(t *testing.T) {
	in := temporalCase{Item: "ITEM1"}
	ctx := context.Background()
	srv, _ := fakeTemporal(t, `{"started":false}`)
	c := NewTemporalClient(srv.URL, 1)
	if err := c.CreateAccept(ctx, in); err == nil || !strings.Contains(err.Error(), "no run id") {
		t.Errorf("a start answered without a run: %v", err)
	}
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"code":6,"message":"Workflow execution already started"}`, http.StatusConflict)
	}))
	defer bad.Close()
	c = NewTemporalClient(bad.URL, 1)
	var se *StatusError
	if err := c.FullLife(ctx, in); !errors.As(err, &se) || se.Status != http.StatusConflict {
		t.Errorf("a refused start: %v", err)
	}
}
