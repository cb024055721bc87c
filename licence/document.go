// Package licence holds electronic licences (电子证照): the catalogue of
// licence types, licences signed by the issuing department when a case is
// issued, their verification by anyone, the holder's wallet, and their use
// in place of an uploaded material (免提交).
//
// The fields follow the national e-licence standards GB/T 36901–36905-2018
// (电子证照 总体技术架构, 目录信息规范, 元数据规范, 标识规范, 证照类型代码规则):
// 证照类型代码, 证照编号, 持证主体 and its identity number (持证主体代码),
// 签发机构, 签发日期, 有效期起止 and the licence's status.
package licence

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
)

// Holder is the licence's 持证主体: a person (identity number: 居民身份证) or an
// enterprise (identity number: 统一社会信用代码).
type Holder struct {
	Kind     string `json:"kind"` // person | enterprise
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

// Issuer is the licence's 签发机构.
type Issuer struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Content is what a licence says: the signed part of its document.
type Content struct {
	TypeCode   string `json:"type_code"` // 证照类型代码
	TypeName   string `json:"type_name"`
	Number     string `json:"number"` // 证照编号
	Version    int    `json:"version"`
	Supersedes string `json:"supersedes,omitempty"` // the number@version a correction replaces
	Holder     Holder `json:"holder"`
	Issuer     Issuer `json:"issuer"`
	IssuedOn   string `json:"issued_on"`          // 签发日期, YYYY-MM-DD China time
	ValidFrom  string `json:"valid_from"`         // 有效期起始日期
	ValidTo    string `json:"valid_to,omitempty"` // 有效期截止日期; empty: 长期有效
	CaseNumber string `json:"case_number,omitempty"`
	VerifyCode string `json:"verify_code"` // with the number, opens the licence at /verify
}

// Document is a signed licence as handed to its holder: the content, the
// signing algorithm and key, and the signature over the canonical JSON of
// every other member (see Canonical).
type Document struct {
	Alg     string  `json:"alg"`
	KeyID   string  `json:"kid"`
	Licence Content `json:"licence"`
	Sig     string  `json:"sig"`
}

// Canonical returns v as canonical JSON: object members sorted by key, no
// insignificant whitespace, numbers as written, no HTML escaping. Two
// programs that agree on the content agree on these bytes, which is what a
// signature is made over.
func Canonical(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	// encoding/json writes map keys sorted and no whitespace.
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(generic); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

// signedPart is the document without its signature.
func (d Document) signedPart() ([]byte, error) {
	return Canonical(struct {
		Alg     string  `json:"alg"`
		KeyID   string  `json:"kid"`
		Licence Content `json:"licence"`
	}{d.Alg, d.KeyID, d.Licence})
}

// Sign makes the document of c with key.
func Sign(c Content, key *PrivateKey) ([]byte, error) {
	d := Document{Alg: key.Alg, KeyID: key.ID, Licence: c}
	msg, err := d.signedPart()
	if err != nil {
		return nil, err
	}
	alg, ok := algorithms[key.Alg]
	if !ok {
		return nil, errUnknownAlg
	}
	sig, err := alg.Sign(key.Private, msg)
	if err != nil {
		return nil, err
	}
	d.Sig = base64.StdEncoding.EncodeToString(sig)
	return Canonical(d)
}

// Reason is why a document fails verification; the empty reason is a pass.
type Reason string

// The reasons verification fails.
const (
	Malformed    Reason = "malformed"     // not a licence document
	UnknownAlg   Reason = "unknown_alg"   // signed with an algorithm this server does not know
	UnknownKey   Reason = "unknown_key"   // signed with a key that is not published
	BadSignature Reason = "bad_signature" // the document was changed after signing
	NotYetValid  Reason = "not_yet_valid"
	Expired      Reason = "expired"
	Revoked      Reason = "revoked"
	Superseded   Reason = "superseded" // a correction replaced this version
	NotFound     Reason = "not_found"  // no licence with this number and code
)

// ReasonNames explains each reason in both languages.
var ReasonNames = map[Reason][2]string{
	Malformed:    {"不是有效的电子证照文件", "this is not an electronic licence document"},
	UnknownAlg:   {"签名算法未知", "the signature algorithm is unknown"},
	UnknownKey:   {"签名密钥不是已公布的签发机构密钥", "the signing key is not a published key of an issuing department"},
	BadSignature: {"签名不符：证照内容已被改动", "the signature does not match: the licence was changed"},
	NotYetValid:  {"证照尚未生效", "the licence is not valid yet"},
	Expired:      {"证照已过有效期", "the licence has expired"},
	Revoked:      {"证照已被撤销", "the licence was revoked"},
	Superseded:   {"证照已被更正后的新版本取代", "the licence was replaced by a corrected version"},
	NotFound:     {"没有该编号和验证码的证照", "no licence has this number and code"},
}

// Check verifies a document's signature against keys and its validity on
// today (YYYY-MM-DD, China time). It returns the parsed document when it
// could read it; status questions (revoked, superseded) are the caller's,
// who holds the register.
func Check(raw []byte, keys KeySet, today string) (Document, Reason) {
	var d Document
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil || d.Licence.Number == "" || d.Sig == "" {
		return Document{}, Malformed
	}
	alg, ok := algorithms[d.Alg]
	if !ok {
		return d, UnknownAlg
	}
	pub, ok := keys.Find(d.KeyID)
	if !ok || pub.Alg != d.Alg {
		return d, UnknownKey
	}
	sig, err := base64.StdEncoding.DecodeString(d.Sig)
	if err != nil {
		return d, BadSignature
	}
	msg, err := d.signedPart()
	if err != nil || !alg.Verify(pub.Public, msg, sig) {
		return d, BadSignature
	}
	// The key must belong to the department the licence names as issuer.
	if pub.Department != d.Licence.Issuer.Code {
		return d, UnknownKey
	}
	return d, Validity(d.Licence, today)
}

// Validity says whether content is within its period of validity on today.
func Validity(c Content, today string) Reason {
	switch {
	case c.ValidFrom != "" && today < c.ValidFrom:
		return NotYetValid
	case c.ValidTo != "" && today > c.ValidTo:
		return Expired
	}
	return ""
}

// ValidTo returns the last valid day of a licence valid for years from
// from (YYYY-MM-DD); no years (0) is 长期有效, the empty date.
func ValidTo(from string, years int) string {
	if years <= 0 {
		return ""
	}
	d, err := time.Parse(time.DateOnly, from)
	if err != nil {
		return ""
	}
	return d.AddDate(years, 0, -1).Format(time.DateOnly)
}

// Ref names one version of a licence: "number@version".
func Ref(number string, version int) string {
	return number + "@" + strconv.Itoa(version)
}
