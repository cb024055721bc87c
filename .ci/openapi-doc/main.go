// Command openapi-doc writes the API description as the server serves it at
// /api/v1/openapi.json (api/openapi.json with the fragments of
// api/openapi.d merged in) to standard output, for .ci/openapi-check.sh.
package main

import (
	"fmt"
	"os"

	"github.com/onewindow/onewindow/api"
)

func main() {
	doc, err := api.OpenAPIDocument()
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi-doc:", err)
		os.Exit(1)
	}
	os.Stdout.Write(doc)
}
