# ruff: noqa: E501  (the letters' wording: one paragraph per line reads best)
"""The wording shipped with Lindung for each kind of letter; the admin edits it from there.

Legal basis cited: UU 24/2011 (Pasal 15 duty to register, Pasal 17 administrative sanctions),
PP 86/2013 (teguran I, teguran II after 10 days, fine, withholding public services),
Permenaker 4/2018 (procedure for withholding public services via DPMPTSP), Inpres 2/2021.
Signatory names are placeholders the office must replace.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

UU = "Undang-Undang Nomor 24 Tahun 2011 tentang Badan Penyelenggara Jaminan Sosial"
PP = (
    "Peraturan Pemerintah Nomor 86 Tahun 2013 tentang Tata Cara Pengenaan Sanksi Administratif "
    "kepada Pemberi Kerja Selain Penyelenggara Negara dan Setiap Orang, Selain Pemberi Kerja, "
    "Pekerja, dan Penerima Bantuan Iuran dalam Penyelenggaraan Jaminan Sosial"
)
PERMENAKER = (
    "Peraturan Menteri Ketenagakerjaan Nomor 4 Tahun 2018 tentang Tata Cara Pengenaan dan "
    "Pencabutan Sanksi Administratif Tidak Mendapat Pelayanan Publik Tertentu bagi Pemberi Kerja "
    "Selain Penyelenggara Negara"
)
INPRES = (
    "Instruksi Presiden Nomor 2 Tahun 2021 tentang Optimalisasi Pelaksanaan Program Jaminan "
    "Sosial Ketenagakerjaan"
)

KEPALA_DINAS = {
    "signer_position": "a.n. Gubernur Kalimantan Timur\nKepala Dinas Tenaga Kerja dan Transmigrasi,",
    "signer_name": "NAMA KEPALA DINAS",
    "signer_rank": "Pembina Utama Muda (IV/c)",
    "signer_nip": "19700101 199503 1 001",
}
TEMBUSAN = (
    "Gubernur Kalimantan Timur (sebagai laporan);\n"
    "Kepala Kantor Wilayah BPJS Ketenagakerjaan Kalimantan;\n"
    "Kepala Dinas yang membidangi ketenagakerjaan {kabkota}."
)
DATA = "[data perusahaan]"
PENUTUP = "Demikian disampaikan, atas perhatian dan kerja sama Saudara diucapkan terima kasih."

TEMPLATES: list[dict[str, object]] = [
    {
        "kind": "imbauan",
        "name": "Imbauan Pendaftaran",
        "subject": "Imbauan Pendaftaran Kepesertaan BPJS Ketenagakerjaan",
        "sifat": "Penting",
        "deadline_days": 30,
        "body": f"""Dalam rangka melaksanakan {UU} dan {INPRES}, setiap pemberi kerja wajib mendaftarkan dirinya dan seluruh pekerjanya sebagai peserta program jaminan sosial ketenagakerjaan pada BPJS Ketenagakerjaan.

Berdasarkan data yang ada pada kami, {{nama_perusahaan}} (NIB {{nib}}, NPWP {{npwp}}) di {{kabkota}} belum sepenuhnya memenuhi kewajiban tersebut, dengan rincian sebagai berikut:

{DATA}

Sehubungan dengan hal tersebut, kami mengimbau Saudara untuk mendaftarkan seluruh pekerja dengan upah yang sebenarnya dalam program jaminan sosial ketenagakerjaan paling lambat tanggal {{batas_waktu}}, serta menyampaikan bukti kepesertaan kepada Dinas Tenaga Kerja dan Transmigrasi Provinsi Kalimantan Timur.

{PENUTUP}""",
        "signer_position": "a.n. Gubernur Kalimantan Timur\nWakil Gubernur,",
        "signer_name": "NAMA WAKIL GUBERNUR",
        "signer_rank": "",
        "signer_nip": "",
    },
    {
        "kind": "teguran_1",
        "name": "Teguran I",
        "subject": "Teguran Tertulis I Kepesertaan BPJS Ketenagakerjaan",
        "sifat": "Segera",
        "deadline_days": 10,
        "body": f"""Berdasarkan Pasal 15 ayat (1) {UU}, pemberi kerja wajib mendaftarkan dirinya dan pekerjanya sebagai peserta kepada BPJS sesuai dengan program jaminan sosial yang diikuti, dan menurut Pasal 17 undang-undang tersebut pemberi kerja yang tidak melaksanakannya dikenai sanksi administratif. Tata cara pengenaan sanksi diatur dalam {PP}, dan pelaksanaannya di daerah ditegaskan dalam {INPRES}.

Hasil pencocokan data wajib lapor ketenagakerjaan dengan data kepesertaan BPJS Ketenagakerjaan menunjukkan bahwa {{nama_perusahaan}} belum memenuhi kewajiban tersebut:

{DATA}

Sehubungan dengan hal tersebut, dengan ini kami memberikan Teguran Tertulis I dan meminta Saudara dalam jangka waktu {{tenggat_hari}} hari, paling lambat tanggal {{batas_waktu}}, untuk:

- mendaftarkan seluruh pekerja yang belum terdaftar;
- melaporkan upah yang sebenarnya diterima pekerja;
- mengikuti seluruh program wajib sesuai skala usaha.

Apabila sampai dengan batas waktu tersebut Saudara belum memenuhi kewajiban dimaksud, akan diberikan Teguran Tertulis II sesuai ketentuan peraturan perundang-undangan.

{PENUTUP}""",
        **KEPALA_DINAS,
    },
    {
        "kind": "teguran_2",
        "name": "Teguran II",
        "subject": "Teguran Tertulis II Kepesertaan BPJS Ketenagakerjaan",
        "sifat": "Segera",
        "deadline_days": 10,
        "body": f"""Menindaklanjuti Surat Teguran Tertulis I Nomor {{nomor_teguran_1}} tanggal {{tanggal_teguran_1}}, sampai dengan berakhirnya jangka waktu yang ditetapkan {{nama_perusahaan}} belum memenuhi kewajiban kepesertaan jaminan sosial ketenagakerjaan sebagaimana diatur dalam Pasal 15 {UU}, dengan rincian:

{DATA}

Berdasarkan {PP}, dengan ini kami memberikan Teguran Tertulis II. Saudara diminta memenuhi seluruh kewajiban tersebut dalam jangka waktu {{tenggat_hari}} hari, paling lambat tanggal {{batas_waktu}}.

Apabila kewajiban tersebut tidak dipenuhi, Saudara dapat dikenai denda dan kami akan merekomendasikan sanksi tidak mendapat pelayanan publik tertentu melalui Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu sesuai {PERMENAKER}.

{PENUTUP}""",
        **KEPALA_DINAS,
    },
    {
        "kind": "rekomendasi_sanksi",
        "name": "Rekomendasi Sanksi",
        "subject": "Rekomendasi Pengenaan Sanksi Tidak Mendapat Pelayanan Publik Tertentu",
        "sifat": "Segera",
        "deadline_days": 0,
        "addressee": "Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu\nProvinsi Kalimantan Timur",
        "place": "Samarinda",
        "body": f"""Berdasarkan Pasal 17 {UU}, {PP}, dan {PERMENAKER}, pemberi kerja yang tidak mendaftarkan dirinya dan pekerjanya sebagai peserta BPJS Ketenagakerjaan setelah diberikan teguran tertulis dikenai sanksi tidak mendapat pelayanan publik tertentu.

{{nama_perusahaan}} (NIB {{nib}}, NPWP {{npwp}}, NPP {{npp}}), beralamat di {{alamat}}, {{kabkota}}, telah diberikan Teguran Tertulis I Nomor {{nomor_teguran_1}} tanggal {{tanggal_teguran_1}} dan Teguran Tertulis II Nomor {{nomor_teguran_2}} tanggal {{tanggal_teguran_2}}, namun sampai saat ini belum memenuhi kewajibannya:

{DATA}

Sehubungan dengan hal tersebut, kami merekomendasikan agar kepada perusahaan tersebut dikenai sanksi tidak mendapat pelayanan publik tertentu, antara lain:

- perizinan terkait usaha;
- izin yang diperlukan dalam mengikuti tender proyek;
- izin memperkerjakan tenaga kerja asing;
- izin perusahaan penyedia jasa pekerja/buruh;
- persetujuan bangunan gedung.

Sanksi tersebut dapat dicabut setelah perusahaan memenuhi kewajibannya, yang akan kami sampaikan secara tertulis.

{PENUTUP}""",
        **KEPALA_DINAS,
        "copies_to": "Gubernur Kalimantan Timur (sebagai laporan);\nKepala Kantor Wilayah BPJS Ketenagakerjaan Kalimantan;\nPimpinan {nama_perusahaan}.",
    },
]


def ensure_default_templates(apps: object = None) -> None:
    """Create the sequence and the four templates if missing (data migration and demo)."""
    models: Any
    if apps is None:
        from lindung.letters import models
    else:
        models = SimpleNamespace(
            LetterSequence=apps.get_model("letters", "LetterSequence"),  # type: ignore[attr-defined]
            LetterTemplate=apps.get_model("letters", "LetterTemplate"),  # type: ignore[attr-defined]
        )
    seq, _ = models.LetterSequence.objects.get_or_create(
        name="surat-keluar",
        defaults={"pattern": "500.15/{seq:04d}/Disnakertrans/{year}", "year": dt.date.today().year},
    )
    for spec in TEMPLATES:
        if models.LetterTemplate.objects.filter(kind=spec["kind"]).exists():
            continue
        fields = {"copies_to": TEMBUSAN, **spec, "sequence": seq}
        models.LetterTemplate.objects.create(**fields)
