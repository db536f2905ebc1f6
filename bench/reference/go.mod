module fgbench/reference

go 1.22
