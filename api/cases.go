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

func (s *Server) createCase(ctx context.Context, c call[cases.CreateRequest]) (caseView, error) {
	got, err := s.Cases.Create(ctx, c.Actor, c.In)
	if err != nil {
		return caseView{}, err
	}
	c.Header.Set("Location", "/api/v1/cases/"+strconv.FormatInt(got.ID, 10))
	return s.view(c.Actor, got), nil
}

// reloadCase answers a retried creation with the case the first made.
func (s *Server) reloadCase(ctx context.Context, c call[noBody]) (caseView, error) {
	v, err := s.getCase(ctx, c)
	if err == nil {
		c.Header.Set("Location", "/api/v1/cases/"+strconv.FormatInt(v.ID, 10))
	}
	return v, err
}

func (s *Server) listCases(ctx context.Context, c call[noBody]) (page[caseView], error) {
	q := c.R.URL.Query()
	limit, offset, err := paging(c.R, 20, 200)
	if err != nil {
		return page[caseView]{}, err
	}
	f := cases.Filter{Department: q.Get("department"), Point: q.Get("point"), Number: q.Get("number"), SLA: q.Get("sla"), Limit: limit, Offset: offset}
	for _, st := range q["state"] {
		for _, one := range strings.Split(st, ",") {
			if _, ok := cases.StateNames[cases.State(one)]; !ok {
				return page[caseView]{}, apperr.Fields{apperr.Field("state", "unknown", apperr.M("未知的案件状态："+one, "unknown state: "+one))}.Err()
			}
			f.States = append(f.States, cases.State(one))
		}
	}
	switch q.Get("sort") {
	case "", "created":
	case "due":
		f.Sort = "due"
	default:
		return page[caseView]{}, apperr.Fields{apperr.Field("sort", "unknown", apperr.M("排序须为 due 或 created", "sort must be due or created"))}.Err()
	}
	list, total, err := s.Cases.List(ctx, c.Actor, f)
	views := make([]caseView, len(list))
	for i, one := range list {
		views[i] = s.view(c.Actor, one)
	}
	return page[caseView]{Items: views, Total: total, Limit: limit, Offset: offset}, err
}

func (s *Server) getCase(ctx context.Context, c call[noBody]) (caseView, error) {
	got, err := s.Cases.Get(ctx, c.Actor, c.ID)
	if err != nil {
		return caseView{}, err
	}
	return s.view(c.Actor, got), nil
}

func (s *Server) getCaseByNumber(ctx context.Context, c call[noBody]) (caseView, error) {
	got, err := s.Cases.GetByNumber(ctx, c.Actor, c.Path("number"))
	if err != nil {
		return caseView{}, err
	}
	return s.view(c.Actor, got), nil
}

// revealIdentity answers with the applicant's numbers whole, to those who may
// see the case, and writes the reveal to the audit log in the same
// transaction. It is a POST: every call is an audited act, never a read to
// cache, prefetch or repeat.
func (s *Server) revealIdentity(ctx context.Context, c call[noBody]) (cases.Identity, error) {
	return noStore[cases.Identity](c.Header)(s.Cases.RevealIdentity(ctx, c.Actor, c.ID, s.clientIP(c.R)))
}

func (s *Server) caseEvents(ctx context.Context, c call[noBody]) (page[cases.Event], error) {
	evs, err := s.Cases.Events(ctx, c.Actor, c.ID)
	return all(evs), err
}

func (s *Server) caseCheck(ctx context.Context, c call[noBody]) (map[string]any, error) {
	got, err := s.Cases.Check(ctx, c.Actor, c.ID)
	return map[string]any{"complete": got.Complete(), "acceptable": got.Acceptable(), "missing": textlist.OrEmpty(got.Missing),
		"waivable_missing": textlist.OrEmpty(got.WaivableMissing)}, err
}

func (s *Server) caseAction(ctx context.Context, c call[maybe[cases.ActRequest]]) (caseView, error) {
	req := c.In.Body
	if err := s.storeSignature(&req); err != nil {
		return caseView{}, err
	}
	return s.shown(c.Actor)(s.Cases.Act(ctx, c.Actor, c.ID, cases.Action(c.Path("action")), req))
}

// shown turns a service's answer into the case view its actor sees.
func (s *Server) shown(u auth.User) func(cases.Case, error) (caseView, error) {
	return func(c cases.Case, err error) (caseView, error) {
		if err != nil {
			return caseView{}, err
		}
		return s.view(u, c), nil
	}
}

// requestExtension records a reviewer's request for more working days;
// refuseExtension is an administrator's refusal of it. Approval is the
// extend action.
func (s *Server) requestExtension(ctx context.Context, c call[cases.ActRequest]) (caseView, error) {
	return s.shown(c.Actor)(s.Cases.RequestExtension(ctx, c.Actor, c.ID, c.In))
}

func (s *Server) refuseExtension(ctx context.Context, c call[cases.ActRequest]) (caseView, error) {
	return s.shown(c.Actor)(s.Cases.RefuseExtension(ctx, c.Actor, c.ID, c.In))
}

type declareRequest struct {
	Type string `json:"type"`
}

// declareMaterial records a material the applicant declares to hold (告知承诺)
// or that the government already has, without a file.
func (s *Server) declareMaterial(ctx context.Context, c call[declareRequest]) (caseView, error) {
	if strings.TrimSpace(c.In.Type) == "" {
		return caseView{}, apperr.Fields{apperr.Field("type", "required", apperr.M("请填写材料类型", "type is required"))}.Err()
	}
	return s.shown(c.Actor)(s.Cases.AddMaterial(ctx, c.Actor, c.ID, cases.Material{Type: c.In.Type, Source: cases.SourceDeclared}))
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
func (s *Server) uploadMaterial(ctx context.Context, c call[upload]) (caseView, error) {
	// Check everything that could refuse it before writing anything to disk.
	if err := s.Cases.CanAddMaterial(ctx, c.Actor, c.ID, c.Path("type")); err != nil {
		return caseView{}, err
	}
	hash, err := filestore.Store{Dir: s.UploadDir}.Put(c.In.Data)
	if err != nil {
		return caseView{}, err
	}
	return s.shown(c.Actor)(s.Cases.AddMaterial(ctx, c.Actor, c.ID, cases.Material{Type: c.Path("type"), Source: cases.SourceUpload,
		FileName: c.In.Name, FileHash: hash, ContentType: c.In.ContentType, Size: int64(len(c.In.Data))}))
}

// docRef is a case's document and where to read it.
type docRef struct {
	Kind    string `json:"kind"`
	TitleZH string `json:"title_zh"`
	TitleEN string `json:"title_en"`
	URL     string `json:"url"`
	HTML    string `json:"html_url"`
}

func (s *Server) caseDocuments(ctx context.Context, c call[noBody]) (page[docRef], error) {
	kinds, err := s.Cases.Documents(ctx, c.Actor, c.ID)
	out := []docRef{}
	for _, k := range kinds {
		t := cases.DocumentTitles[k]
		base := "/api/v1/cases/" + strconv.FormatInt(c.ID, 10) + "/documents/" + k
		out = append(out, docRef{Kind: k, TitleZH: t.ZH, TitleEN: t.EN, URL: base, HTML: base + "?format=html"})
	}
	return all(out), err
}

// documentAnswer is a notice as JSON, or as a printable page to a browser
// or to ?format=html.
type documentAnswer struct{ cases.Document }

func (d documentAnswer) write(w http.ResponseWriter, r *http.Request, status int) error {
	if r.URL.Query().Get("format") == "html" || strings.Contains(r.Header.Get("Accept"), "text/html") {
		return renderDocument(w, r, d.Document)
	}
	writeJSON(w, status, d.Document)
	return nil
}

func (s *Server) caseDocument(ctx context.Context, c call[noBody]) (documentAnswer, error) {
	d, err := s.Cases.Document(ctx, c.Actor, c.ID, c.Path("kind"))
	return documentAnswer{d}, err
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

// upload is the In of a route whose body is a file: read within the
// server's size limit, its type sniffed from its content (PDF, JPEG or PNG
// only), refused with a clear problem when too large, too slow,
// unreadable, empty, or of another type. Its display name comes from
// ?name=, checked first.
type upload struct {
	Name        string
	Data        []byte
	ContentType string
}

func (u *upload) read(w http.ResponseWriter, r *http.Request) error {
	name, err := cleanFileName(r.URL.Query().Get("name"))
	if err != nil {
		return err
	}
	max := r.Context().Value(uploadLimitKey).(int64)
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "upload_too_large", apperr.M("文件超过大小上限", "the file is larger than allowed")).With("max_bytes", max)
		}
		if ae := bodyTimeout(err); ae != nil {
			return ae
		}
		return apperr.New(apperr.BadRequest, "upload_unreadable", apperr.M("无法读取上传的文件", "could not read the uploaded file"))
	}
	if len(data) == 0 {
		return apperr.Fields{apperr.Field("body", "required", apperr.M("文件为空", "the file is empty"))}.Err()
	}
	ct, ok := filestore.Sniff(data)
	if !ok {
		return apperr.New(apperr.Unsupported, "upload_type", apperr.M("只接受PDF、JPEG或PNG文件", "only PDF, JPEG or PNG files are accepted")).With("detected", ct)
	}
	*u = upload{Name: name, Data: data, ContentType: ct}
	return nil
}
