package api

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/cases"
	"github.com/onewindow/onewindow/filestore"
	"github.com/onewindow/onewindow/store"
	"github.com/onewindow/onewindow/textlist"
)

// caseView is a case as the API shows it: with the actions the caller may
// take now and the labels of its state. Staff see the applicant's numbers
// masked; POST /api/v1/cases/{id}/reveal gives them whole, audited.
type caseView struct {
	cases.Case
	StateZH string         `json:"state_zh"`
	StateEN string         `json:"state_en"`
	Allowed []cases.Action `json:"allowed_actions"`
	SLA     cases.SLA      `json:"sla"`
}

func (s *Server) view(u auth.User, c cases.Case) caseView {
	allowed := cases.Allowed(c.State, u.Role)
	if allowed == nil {
		allowed = []cases.Action{}
	}
	n := cases.StateNames[c.State]
	c = c.ShownTo(u)
	return caseView{Case: c, StateZH: n.ZH, StateEN: n.EN, Allowed: allowed, SLA: s.Cases.SLA(&c)}
}

func (s *Server) createCase(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	return s.idempotent(w, r, u, func(ctx context.Context, body []byte) (int, any, error) {
		var req cases.CreateRequest
		if err := decodeBytes(body, &req); err != nil {
			return 0, nil, err
		}
		c, err := s.Cases.Create(ctx, u, req)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10))
		return http.StatusCreated, s.view(u, c), nil
	}, func(ctx context.Context, ref string) (int, any, error) {
		id, err := refID(ref, "case")
		if err != nil {
			return 0, nil, err
		}
		c, err := s.Cases.Get(ctx, u, id)
		if err != nil {
			return 0, nil, err
		}
		w.Header().Set("Location", "/api/v1/cases/"+strconv.FormatInt(c.ID, 10))
		return http.StatusCreated, s.view(u, c), nil
	})
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	q := r.URL.Query()
	limit, err := queryInt(r, "limit", 20, 1, 200)
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset", 0, 0, 1<<30)
	if err != nil {
		return err
	}
	f := cases.Filter{Department: q.Get("department"), Point: q.Get("point"), Number: q.Get("number"), SLA: q.Get("sla"), Limit: limit, Offset: offset}
	for _, st := range q["state"] {
		for _, one := range strings.Split(st, ",") {
			if _, ok := cases.StateNames[cases.State(one)]; !ok {
				return apperr.Fields{apperr.Field("state", "unknown", apperr.M("未知的案件状态："+one, "unknown state: "+one))}.Err()
			}
			f.States = append(f.States, cases.State(one))
		}
	}
	switch q.Get("sort") {
	case "", "created":
	case "due":
		f.Sort = "due"
	default:
		return apperr.Fields{apperr.Field("sort", "unknown", apperr.M("排序须为 due 或 created", "sort must be due or created"))}.Err()
	}
	list, total, err := s.Cases.List(r.Context(), u, f)
	if err != nil {
		return err
	}
	views := make([]caseView, len(list))
	for i, c := range list {
		views[i] = s.view(u, c)
	}
	writeJSON(w, http.StatusOK, page[caseView]{Items: views, Total: total, Limit: limit, Offset: offset})
	return nil
}

func (s *Server) getCase(ctx context.Context, c call[noBody]) (caseView, error) {
	got, err := s.Cases.Get(ctx, c.Actor, c.ID)
	if err != nil {
		return caseView{}, err
	}
	return s.view(c.Actor, got), nil
}

func (s *Server) getCaseByNumber(ctx context.Context, c call[noBody]) (caseView, error) {
	got, err := s.Cases.GetByNumber(ctx, c.Actor, c.R.PathValue("number"))
	if err != nil {
		return caseView{}, err
	}
	return s.view(c.Actor, got), nil
}

// revealIdentity answers with the applicant's numbers whole, to those who may
// see the case, and writes the reveal to the audit log in the same
// transaction. It is a POST: every call is an audited act, never a read to
// cache, prefetch or repeat.
func (s *Server) revealIdentity(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.Cases.RevealIdentity(r.Context(), u, id, s.clientIP(r))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Server) caseEvents(ctx context.Context, c call[noBody]) (page[cases.Event], error) {
	evs, err := s.Cases.Events(ctx, c.Actor, c.ID)
	if evs == nil {
		evs = []cases.Event{}
	}
	return page[cases.Event]{Items: evs, Total: len(evs), Limit: len(evs)}, err
}

func (s *Server) caseCheck(ctx context.Context, c call[noBody]) (map[string]any, error) {
	got, err := s.Cases.Check(ctx, c.Actor, c.ID)
	return map[string]any{"complete": got.Complete(), "acceptable": got.Acceptable(), "missing": textlist.OrEmpty(got.Missing),
		"waivable_missing": textlist.OrEmpty(got.WaivableMissing)}, err
}

func (s *Server) caseAction(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req cases.ActRequest
	if r.ContentLength != 0 {
		if err := decodeJSON(w, r, &req); err != nil {
			return err
		}
	}
	c, err := s.Cases.Act(r.Context(), u, id, cases.Action(r.PathValue("action")), req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.view(u, c))
	return nil
}

// requestExtension records a reviewer's request for more working days;
// refuseExtension is an administrator's refusal of it. Approval is the
// extend action.
func (s *Server) requestExtension(w http.ResponseWriter, r *http.Request) error {
	return s.extensionStep(w, r, s.Cases.RequestExtension)
}

func (s *Server) refuseExtension(w http.ResponseWriter, r *http.Request) error {
	return s.extensionStep(w, r, s.Cases.RefuseExtension)
}

func (s *Server) extensionStep(w http.ResponseWriter, r *http.Request,
	step func(context.Context, auth.User, int64, cases.ActRequest) (cases.Case, error)) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req cases.ActRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	c, err := step(r.Context(), u, id, req)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.view(u, c))
	return nil
}

type declareRequest struct {
	Type string `json:"type"`
}

// declareMaterial records a material the applicant declares to hold (告知承诺)
// or that the government already has, without a file.
func (s *Server) declareMaterial(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var req declareRequest
	if err := decodeJSON(w, r, &req); err != nil {
		return err
	}
	if strings.TrimSpace(req.Type) == "" {
		return apperr.Fields{apperr.Field("type", "required", apperr.M("请填写材料类型", "type is required"))}.Err()
	}
	c, err := s.Cases.AddMaterial(r.Context(), u, id, cases.Material{Type: req.Type, Source: cases.SourceDeclared})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.view(u, c))
	return nil
}

// cleanFileName keeps a user's file name for display only: never as a path.
func cleanFileName(name string) (string, error) {
	bad := apperr.Fields{apperr.Field("name", "format", apperr.M("文件名不合法", "the file name is not acceptable"))}.Err()
	if name == "" {
		return "", nil
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 200 || strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") {
		return "", bad
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", bad
		}
	}
	return name, nil
}

// uploadMaterial stores the request body as a material file: size-limited,
// type sniffed from the content (never trusted from the client), kept by its
// SHA-256 outside any web root.
func (s *Server) uploadMaterial(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name, err := cleanFileName(r.URL.Query().Get("name"))
	if err != nil {
		return err
	}
	data, ct, err := s.readUpload(w, r)
	if err != nil {
		return err
	}
	// Check everything that could refuse it before writing anything to disk.
	if err := s.Cases.CanAddMaterial(r.Context(), u, id, r.PathValue("type")); err != nil {
		return err
	}
	hash, err := filestore.Store{Dir: s.UploadDir}.Put(data)
	if err != nil {
		return err
	}
	c, err := s.Cases.AddMaterial(r.Context(), u, id, cases.Material{Type: r.PathValue("type"), Source: cases.SourceUpload,
		FileName: name, FileHash: hash, ContentType: ct, Size: int64(len(data))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.view(u, c))
	return nil
}

func (s *Server) caseDocuments(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	kinds, err := s.Cases.Documents(r.Context(), u, id)
	if err != nil {
		return err
	}
	type docRef struct {
		Kind    string `json:"kind"`
		TitleZH string `json:"title_zh"`
		TitleEN string `json:"title_en"`
		URL     string `json:"url"`
		HTML    string `json:"html_url"`
	}
	out := []docRef{}
	for _, k := range kinds {
		t := cases.DocumentTitles[k]
		base := "/api/v1/cases/" + strconv.FormatInt(id, 10) + "/documents/" + k
		out = append(out, docRef{Kind: k, TitleZH: t.ZH, TitleEN: t.EN, URL: base, HTML: base + "?format=html"})
	}
	writeJSON(w, http.StatusOK, page[docRef]{Items: out, Total: len(out), Limit: len(out)})
	return nil
}

func (s *Server) caseDocument(w http.ResponseWriter, r *http.Request) error {
	u, _ := actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, err := s.Cases.Document(r.Context(), u, id, r.PathValue("kind"))
	if err != nil {
		return err
	}
	if r.URL.Query().Get("format") == "html" || strings.Contains(r.Header.Get("Accept"), "text/html") {
		return renderDocument(w, r, d)
	}
	writeJSON(w, http.StatusOK, d)
	return nil
}

// idempotent runs create once per Idempotency-Key. The key is claimed in
// the transaction that makes the request's effect (store.Effect), naming
// what it made, so that nothing can commit without its claim or the claim
// without it: a retry with the same key and body gets the first answer
// again, or, when the server stopped before storing that answer, the thing
// the first attempt made (reload); if the first attempt never committed, the
// retry makes it, once. The same key with another body is refused. A refused
// request changed nothing, so its retry simply runs again. Without the
// header create just runs.
func (s *Server) idempotent(w http.ResponseWriter, r *http.Request, u auth.User,
	create func(ctx context.Context, body []byte) (int, any, error), reload func(ctx context.Context, ref string) (int, any, error)) error {
	body, err := readJSONBody(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	key := strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	if key == "" {
		status, v, err := create(ctx, body)
		if err != nil {
			return err
		}
		writeJSON(w, status, v)
		return nil
	}
	if len(key) > 200 {
		return apperr.Fields{apperr.Field("Idempotency-Key", "too_long", apperr.M("幂等键不超过200个字符", "Idempotency-Key has at most 200 characters"))}.Err()
	}
	sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
	fingerprint := hex.EncodeToString(sum[:])
	if done, err := s.replay(w, r, u, key, fingerprint, reload); done || err != nil {
		return err
	}
	effect := &store.Effect{Record: func(ctx context.Context, tx *store.Tx, ref string) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, idem_key, request, status, body, ref, created_at)
			VALUES (?, ?, ?, 0, '', ?, ?)`, u.ID, key, fingerprint, ref, store.FormatTime(s.Clock.Now()))
		if store.IsUniqueViolation(err) {
			return errKeyTaken()
		}
		return apperr.Wrap(err, "api: idempotency")
	}}
	status, v, err := create(store.WithEffect(ctx, effect), body)
	if err != nil {
		if apperr.As(err).Reason == reasonKeyTaken {
			// The same request, sent twice at once, committed first.
			if done, rerr := s.replay(w, r, u, key, fingerprint, reload); done || rerr != nil {
				return rerr
			}
		}
		return err
	}
	b, _ := json.Marshal(v)
	if effect.Ref == "" {
		s.log.Error("idempotency: the request made nothing it named", "path", r.URL.Path)
	} else {
		s.storeAnswer(ctx, u.ID, key, status, b)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
	return nil
}

const reasonKeyTaken = "idempotency_key_taken"

func errKeyTaken() error {
	return apperr.New(apperr.Conflict, reasonKeyTaken, apperr.M("相同的请求正在处理中，请稍后重试", "the same request is being processed; retry shortly")).With("retry_after", 1)
}

// replay answers a request whose key was used before: the stored answer,
// or, when none was stored, what the first attempt made, read again. It
// reports false when the key is new.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, u auth.User, key, fingerprint string,
	reload func(ctx context.Context, ref string) (int, any, error)) (bool, error) {
	ctx := r.Context()
	var req, body, ref string
	var status int
	err := s.DB.QueryRowContext(ctx, `SELECT request, status, body, ref FROM idempotency_keys WHERE user_id = ? AND idem_key = ?`,
		u.ID, key).Scan(&req, &status, &body, &ref)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return true, apperr.Wrap(err, "api: idempotency")
	}
	if req != fingerprint {
		return true, apperr.New(apperr.Invalid, "idempotency_key_reused", apperr.M("该幂等键已用于另一个请求", "this Idempotency-Key was used for a different request"))
	}
	var b []byte
	if status != 0 {
		b = []byte(body)
	} else {
		st, v, err := reload(ctx, ref)
		if err != nil {
			return true, err
		}
		if b, err = json.Marshal(v); err != nil {
			return true, apperr.Wrap(err, "api: idempotency")
		}
		status, b = st, append(b, '\n')
		s.storeAnswer(ctx, u.ID, key, status, b)
	}
	w.Header().Set("Idempotent-Replayed", "true")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
	return true, nil
}

// storeAnswer keeps the first answer for retries. It may fail: a retry then
// reads again what the request made.
func (s *Server) storeAnswer(ctx context.Context, userID int64, key string, status int, body []byte) {
	ctx = context.WithoutCancel(ctx) // the answer is kept even if the client has gone
	err := s.DB.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE idempotency_keys SET status = ?, body = ? WHERE user_id = ? AND idem_key = ?`,
			status, string(body), userID, key)
		return err
	})
	if err != nil {
		s.log.Error("idempotency: store answer", "err", err)
	}
}

// refID reads the id of a ref made by NoteEffect ("case:42" → 42).
func refID(ref, kind string) (int64, error) {
	v, ok := strings.CutPrefix(ref, kind+":")
	id, err := strconv.ParseInt(v, 10, 64)
	if !ok || err != nil {
		return 0, apperr.Wrap(fmt.Errorf("idempotency: %q is not a %s", ref, kind), "api")
	}
	return id, nil
}

// readUpload reads an uploaded file's body within the size limit and sniffs
// its type from its content (PDF, JPEG or PNG only), refusing with a clear
// problem: too large, too slow, unreadable, empty, or of another type.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request) ([]byte, string, error) {
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxUpload))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, "", apperr.New(apperr.TooLarge, "upload_too_large", apperr.M("文件超过大小上限", "the file is larger than allowed")).With("max_bytes", s.MaxUpload)
		}
		if ae := bodyTimeout(err); ae != nil {
			return nil, "", ae
		}
		return nil, "", apperr.New(apperr.BadRequest, "upload_unreadable", apperr.M("无法读取上传的文件", "could not read the uploaded file"))
	}
	if len(data) == 0 {
		return nil, "", apperr.Fields{apperr.Field("body", "required", apperr.M("文件为空", "the file is empty"))}.Err()
	}
	ct, ok := filestore.Sniff(data)
	if !ok {
		return nil, "", apperr.New(apperr.Unsupported, "upload_type", apperr.M("只接受PDF、JPEG或PNG文件", "only PDF, JPEG or PNG files are accepted")).With("detected", ct)
	}
	return data, ct, nil
}
