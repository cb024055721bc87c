// Package reliability holds the tests that run the real onewindow binary:
// killed mid-load, two processes on one database, overload, backup under load.
package reliability
