package cases

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/ident"
	"github.com/onewindow/onewindow/store"
)

// Who collects a result at the issuing window (领取人).
const (
	CollectorSelf  = "self"  // the applicant in person (an enterprise's recorded agent counts as the applicant)
	CollectorAgent = "agent" // someone else, holding the applicant's authorisation (授权委托书)
)

// How the collector's signature was taken.
const (
	SignatureDrawn = "drawn" // drawn on the window's screen
	SignatureSlip  = "slip"  // a photo or scan of the signed paper slip
)

// Collection records who collected a result handed out at the window, with
// the signature kept in the file store. The caller stores the signature
// (by its SHA-256, as uploads are) before the issue action and passes its
// hash and sniffed type here.
type Collection struct {
	Name          string `json:"name"`
	IDNumber      string `json:"id_number"`               // 居民身份证, masked for everyone but the issuing window's record
	Relation      string `json:"relation"`                // self | agent
	Authorisation string `json:"authorisation,omitempty"` // agent: the authorisation shown (委托书 number or description)
	SignatureKind string `json:"signature_kind"`          // drawn | slip
	SignatureHash string `json:"signature_hash"`
	SignatureType string `json:"signature_type"`
	// Signature is the image as a client sends it (base64 in JSON): the
	// handler stores it and fills SignatureHash and SignatureType; it is
	// never kept in the record.
	Signature  []byte    `json:"signature,omitempty"`
	RecordedBy int64     `json:"recorded_by,omitempty"`
	RecordedAt time.Time `json:"recorded_at,omitzero"`
}

// validateCollection checks what can be checked without the case: the
// fields of the collector, and that only a result handed out at the window
// has one.
func validateCollection(method string, c *Collection, f *apperr.Fields) {
	if c == nil {
		return
	}
	if method != IssueAtWindow {
		f.Add("collector", "not_at_window", apperr.M("只有窗口领取才登记领取人", "a collector is recorded only for results handed out at the window"))
		return
	}
	c.Name = strings.TrimSpace(c.Name)
	c.Authorisation = strings.TrimSpace(c.Authorisation)
	switch n := utf8.RuneCountInString(c.Name); {
	case n == 0:
		f.Add("collector.name", "required", apperr.M("请填写领取人姓名", "the collector's name is required"))
	case n > 100:
		f.Add("collector.name", "too_long", apperr.M("姓名不超过100字", "a name has at most 100 characters"))
	}
	if id, err := ident.IDCard(c.IDNumber); err != nil {
		reason, msg := ident.Problem(err)
		f.Add("collector.id_number", reason, msg)
	} else {
		c.IDNumber = id
	}
	switch c.Relation {
	case CollectorSelf:
		c.Authorisation = ""
	case CollectorAgent:
		if c.Authorisation == "" {
			f.Add("collector.authorisation", "required", apperr.M("代领须写明授权委托书（编号或说明）", "an agent must show the applicant's authorisation: name it"))
		}
	default:
		f.Add("collector.relation", "unknown", apperr.M("领取人须为申请人本人（self）或受托代领人（agent）", "relation must be self or agent"))
	}
	if utf8.RuneCountInString(c.Authorisation) > 200 {
		f.Add("collector.authorisation", "too_long", apperr.M("授权说明不超过200字", "the authorisation has at most 200 characters"))
	}
	switch c.SignatureKind {
	case SignatureDrawn, SignatureSlip:
	default:
		f.Add("collector.signature_kind", "unknown", apperr.M("签名须为当场手写（drawn）或签字回执照片（slip）", "signature_kind must be drawn or slip"))
	}
	if len(c.SignatureHash) != 64 || strings.Trim(c.SignatureHash, "0123456789abcdef") != "" || c.SignatureType == "" {
		f.Add("collector.signature", "required", apperr.M("请领取人签名，或上传签字回执的照片", "the collector's signature is required: drawn, or a photo of the signed slip"))
	}
}

// recordCollection writes the collector of case c in the issuing
// transaction. The applicant's own collection must carry the applicant's
// identity card number: anyone else collects as an agent.
func recordCollection(ctx context.Context, tx *store.Tx, actor auth.User, c *Case, col *Collection, now time.Time) error {
	if col.Relation == CollectorSelf && c.Applicant.IDNumber != "" && !strings.EqualFold(c.Applicant.IDNumber, col.IDNumber) {
		return apperr.Fields{apperr.Field("collector.id_number", "not_applicant",
			apperr.M("身份证号码与申请人不符：他人领取请选择受托代领并核验授权委托书", "the identity card number is not the applicant's: someone else collects as an agent with an authorisation"))}.Err()
	}
	col.RecordedBy, col.RecordedAt = actor.ID, now
	_, err := tx.ExecContext(ctx, `
		INSERT INTO case_collections (case_id, name, id_number, relation, authorisation, signature_kind, signature_hash, signature_type, recorded_by, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, col.Name, col.IDNumber, col.Relation, col.Authorisation, col.SignatureKind, col.SignatureHash, col.SignatureType, actor.ID, store.FormatTime(now))
	if store.IsUniqueViolation(err) {
		return apperr.New(apperr.Conflict, "already_collected", apperr.M("该案件已登记领取人", "this case's collector is already recorded"))
	}
	return apperr.Wrap(err, "cases: record collection")
}

// Collection returns who collected case id's result, if actor may see the
// case; nil when the result was not handed out at the window (or before
// collectors were recorded). The identity card number is masked.
func (s *Service) Collection(ctx context.Context, actor auth.User, id int64) (*Collection, error) {
	if _, err := s.Get(ctx, actor, id); err != nil {
		return nil, err
	}
	return s.collection(ctx, id)
}

func (s *Service) collection(ctx context.Context, id int64) (*Collection, error) {
	col, err := scanCollection(s.db.QueryRowContext(ctx, `SELECT `+collectionColumns+` FROM case_collections k WHERE k.case_id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, apperr.Wrap(err, "cases: read collection")
	}
	return &col, nil
}

// collectionColumns are the columns of a collection record (table alias k)
// that scanCollection reads, in its order.
const collectionColumns = `k.name, k.id_number, k.relation, k.authorisation, k.signature_kind, k.signature_hash,
	k.signature_type, k.recorded_by, k.recorded_at`

// scanCollection reads a row of collectionColumns after the lead
// columns, masking the identity card number: the record as it is shown.
func scanCollection(row interface{ Scan(...any) error }, lead ...any) (Collection, error) {
	var col Collection
	var at string
	err := row.Scan(append(lead, &col.Name, &col.IDNumber, &col.Relation, &col.Authorisation, &col.SignatureKind,
		&col.SignatureHash, &col.SignatureType, &col.RecordedBy, &at)...)
	if err != nil {
		return Collection{}, err
	}
	col.RecordedAt = store.ParseTime(at)
	col.IDNumber = ident.MaskID(col.IDNumber)
	return col, nil
}
