// Command generate writes ../client.gen.go: the Go client oapi-codegen makes
// from the API description as served. Its test fails while the committed
// client differs from what the document generates.
package main

import (
	"fmt"
	"os"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

	"github.com/onewindow/onewindow/api"
)

// generatorVersion is written into the file's header; it is the version
// go.mod pins, so that the header does not depend on how this is built.
const generatorVersion = "v2.8.2"

// clientFile is where the client goes, seen from the genclient folder,
// where go generate runs this.
const clientFile = "client.gen.go"

// source generates the client from the document as served.
func source() ([]byte, error) {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		return nil, err
	}
	spec, err := openapi3.NewLoader().LoadFromData(doc)
	if err != nil {
		return nil, fmt.Errorf("load the document: %w", err)
	}
	version := generatorVersion
	code, err := codegen.Generate(spec, codegen.Configuration{
		PackageName:          "genclient",
		Generate:             codegen.GenerateOptions{Client: true, Models: true},
		AllowRemoteRefsFrom:  []string{},
		NoVCSVersionOverride: &version,
	})
	if err != nil {
		return nil, fmt.Errorf("generate the client: %w", err)
	}
	return []byte(code), nil
}

func main() {
	code, err := source()
	if err == nil {
		err = os.WriteFile(clientFile, code, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}
