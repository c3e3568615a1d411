/* elf.h -- the little ELF knowledge exec handling needs. */
#ifndef SCRIBE_ELF_H
#define SCRIBE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct elf_info {
	bool has_interp;
	uint64_t interp_off;      /* file offset of the PT_INTERP string */
	uint64_t interp_size;     /* its p_filesz, NUL included */
	uint64_t interp_vaddr;
	uint64_t phdr_vaddr;      /* where the program headers are mapped */
	bool has_phdr_vaddr;
};

/* Parse a 64-bit ELF image; returns -1 if it is not one we understand. */
int elf_parse(const uint8_t *img, size_t len, struct elf_info *out);

/* Find the dynamic symbol `name` of a shared object image laid out as
 * mapped (the vDSO): its offset from the image's start and its size.
 * Returns -1 if the image has no such defined symbol or is malformed. */
int elf_dynsym(const uint8_t *img, size_t len, const char *name, uint64_t *off,
               uint64_t *size);

#endif
