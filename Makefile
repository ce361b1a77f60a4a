# The two commands: `make demo` and `make test`. Both install missing Debian packages,
# configure and build with the `default` CMake preset, then run.
JOBS ?= $(shell nproc)
BUILD_DIR := build

.PHONY: all deps build demo test clean format

all: build

deps:
	@tools/install-deps

build: deps
	@cmake --preset default >/dev/null
	@cmake --build --preset default -j $(JOBS)

demo: build
	@tools/demo.sh

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR) build-debug build-asan

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i
