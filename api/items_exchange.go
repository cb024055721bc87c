package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/onewindow/onewindow/apperr"
	"github.com/onewindow/onewindow/auth"
	"github.com/onewindow/onewindow/catalog"
)

// The catalogue as a whole, as provinces exchange it: an Excel workbook
// (the CSV tables as sheets, Chinese headers) or one JSON document.

func (s *Server) exportItems(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireRole(r, auth.RoleAdmin); err != nil {
		return err
	}
	var buf bytes.Buffer
	switch format := r.URL.Query().Get("format"); format {
	case "", "xlsx":
		if err := s.Catalog.ExportXLSX(r.Context(), &buf); err != nil {
			return err
		}
		w.Header().Set("Content-Type", catalog.XLSXContentType)
		w.Header().Set("Content-Disposition", `attachment; filename="`+catalog.XLSXFileName+`"`)
	case "json":
		if err := s.Catalog.Export(r.Context(), &buf, "json"); err != nil {
			return err
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="catalogue.json"`)
	default:
		return apperr.Fields{apperr.Field("format", "unknown_value", apperr.M("格式须为 xlsx 或 json", "format must be xlsx or json"))}.Err()
	}
	w.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}

func (s *Server) importItems(w http.ResponseWriter, r *http.Request) error {
	u, err := requireRole(r, auth.RoleAdmin)
	if err != nil {
		return err
	}
	var publish bool
	switch v := r.URL.Query().Get("publish"); v {
	case "", "false", "0":
	case "true", "1":
		publish = true
	default:
		return apperr.Fields{apperr.Field("publish", "format", apperr.M("须为 true 或 false", "must be true or false"))}.Err()
	}
	parse := catalog.ParseXLSX
	switch ct := strings.ToLower(strings.TrimSpace(strings.SplitN(r.Header.Get("Content-Type"), ";", 2)[0])); ct {
	case catalog.XLSXContentType:
	case "application/json":
		parse = catalog.ParseJSON
	default:
		return apperr.New(apperr.Unsupported, "unsupported_media_type", apperr.M(
			"请求体须为 Excel 工作簿（"+catalog.XLSXContentType+"）或 application/json",
			"the body must be an Excel workbook ("+catalog.XLSXContentType+") or application/json"))
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxImportBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.TooLarge, "body_too_large", apperr.M("导入文件超过64 MiB上限", "the import is larger than 64 MiB"))
		}
		if ae := bodyTimeout(err); ae != nil {
			return ae
		}
		return badRequest("无法读取请求体", "could not read the request body")
	}
	c, err := parse(bytes.NewReader(body))
	if err != nil {
		return err
	}
	rep, err := s.Catalog.Import(r.Context(), u, c, publish)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, rep)
	return nil
}
