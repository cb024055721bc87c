// Package genclient is a Go client generated from the API description as
// served (api.OpenAPIDocument) by oapi-codegen, the way a department system
// would make one. Tests drive the stories through it to prove the document
// usable by such tools; nothing else imports it.
//
// Regenerate it after changing api/openapi.json or api/openapi.d:
//
//	go generate ./api/internal/genclient
package genclient

//go:generate go run ./generate
