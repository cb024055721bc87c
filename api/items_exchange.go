package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/catalog"
)

// The catalogue as a whole, as provinces exchange it: an Excel workbook
// (the CSV tables as sheets, Chinese headers) or one JSON document.

func (s *Server) exportItems(ctx context.Context, c call[noBody]) (attachment, error) {
	var a attachment
	var err error
	switch format := c.Query("format"); format {
	case "", "xlsx":
		a = attachment{ContentType: catalog.XLSXContentType, Name: catalog.XLSXFileName}
		a.Body, err = buffered(func(b *bytes.Buffer) error { return s.Catalog.ExportXLSX(ctx, b) })
	case "json":
		a = attachment{ContentType: "application/json; charset=utf-8", Name: "catalogue.json"}
		a.Body, err = buffered(func(b *bytes.Buffer) error { return s.Catalog.Export(ctx, b, "json") })
	default:
		return a, apperr.Fields{apperr.Field("format", "unknown_value", apperr.M("格式须为 xlsx 或 json", "format must be xlsx or json"))}.Err()
	}
	c.Header.Set("Cache-Control", "no-store")
	return a, err
}

// catalogueFile is the body of a catalogue import: an Excel workbook or
// one JSON document, told apart by its Content-Type.
type catalogueFile struct {
	publish bool // ?publish=true
	parse   func(io.Reader) (*catalog.Catalogue, error)
	data    []byte
}

func (f *catalogueFile) read(w http.ResponseWriter, r *http.Request) error {
	// ?publish= is refused before the body is read.
	publish, err := queryFlag(r, "publish")
	if err != nil {
		return err
	}
	f.publish = publish != nil && *publish
	f.parse = catalog.ParseXLSX
	switch ct := mediaType(r); ct {
	case catalog.XLSXContentType:
	case "application/json":
		f.parse = catalog.ParseJSON
	default:
		return apperr.New(apperr.Unsupported, "unsupported_media_type", apperr.M(
			"请求体须为 Excel 工作簿（"+catalog.XLSXContentType+"）或 application/json",
			"the body must be an Excel workbook ("+catalog.XLSXContentType+") or application/json"))
	}
	f.data, err = readImportBody(w, r)
	return err
}

func (s *Server) importItems(ctx context.Context, c call[catalogueFile]) (catalog.ImportReport, error) {
	cat, err := c.In.parse(bytes.NewReader(c.In.data))
	if err != nil {
		return catalog.ImportReport{}, err
	}
	return s.Catalog.Import(ctx, c.Actor, cat, c.In.publish)
}

// mediaType is the request's Content-Type without its parameters, in lower case.
func mediaType(r *http.Request) string {
	return strings.ToLower(strings.TrimSpace(strings.SplitN(r.Header.Get("Content-Type"), ";", 2)[0]))
}

// readImportBody reads an import's body within MaxImportBody.
func readImportBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxImportBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, apperr.New(apperr.TooLarge, "body_too_large", apperr.M("导入文件超过64 MiB上限", "the import is larger than 64 MiB"))
		}
		if ae := bodyTimeout(err); ae != nil {
			return nil, ae
		}
		return nil, badRequest("无法读取请求体", "could not read the request body")
	}
	return body, nil
}
