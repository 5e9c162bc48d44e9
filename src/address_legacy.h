/*
 * The ward codes the address table had before the national one: local
 * codes of tỉnh Quảng Ngãi, "51.001" to "51.096" in list order, each with
 * the national code of the same ward.  Only the stores' migrations use
 * them, to move the addresses they keep (a dossier's data, the client's
 * journal) to the national codes.  Like the migrations, this never
 * changes.
 */
#ifndef DVC_ADDRESS_LEGACY_H
#define DVC_ADDRESS_LEGACY_H

/* The pairs (local, national) as SQL rows. */
#define ADDRESS_LEGACY_WARDS \
	"('51.001','21025'),('51.002','21028'),('51.003','21034')," \
	"('51.004','21040'),('51.005','21061'),('51.006','21085')," \
	"('51.007','21100'),('51.008','21109'),('51.009','21115')," \
	"('51.010','21124'),('51.011','21127'),('51.012','21136')," \
	"('51.013','21154'),('51.014','21157'),('51.015','21172')," \
	"('51.016','21181'),('51.017','21196'),('51.018','21205')," \
	"('51.019','21211'),('51.020','21220'),('51.021','21235')," \
	"('51.022','21238'),('51.023','21244'),('51.024','21250')," \
	"('51.025','21289'),('51.026','21292'),('51.027','21307')," \
	"('51.028','21319'),('51.029','21325'),('51.030','21334')," \
	"('51.031','21340'),('51.032','21343'),('51.033','21349')," \
	"('51.034','21361'),('51.035','21364'),('51.036','21370')," \
	"('51.037','21385'),('51.038','21388'),('51.039','21400')," \
	"('51.040','21409'),('51.041','21421'),('51.042','21433')," \
	"('51.043','21439'),('51.044','21451'),('51.045','21457')," \
	"('51.046','21472'),('51.047','21478'),('51.048','21484')," \
	"('51.049','21490'),('51.050','21496'),('51.051','21499')," \
	"('51.052','21520'),('51.053','21523'),('51.054','21529')," \
	"('51.055','21538'),('51.056','21548'),('51.057','23284')," \
	"('51.058','23293'),('51.059','23302'),('51.060','23317')," \
	"('51.061','23326'),('51.062','23332'),('51.063','23341')," \
	"('51.064','23344'),('51.065','23356'),('51.066','23365')," \
	"('51.067','23368'),('51.068','23374'),('51.069','23377')," \
	"('51.070','23383'),('51.071','23392'),('51.072','23401')," \
	"('51.073','23416'),('51.074','23419'),('51.075','23425')," \
	"('51.076','23428'),('51.077','23430'),('51.078','23446')," \
	"('51.079','23455'),('51.080','23473'),('51.081','23476')," \
	"('51.082','23479'),('51.083','23485'),('51.084','23497')," \
	"('51.085','23500'),('51.086','23504'),('51.087','23510')," \
	"('51.088','23512'),('51.089','23515'),('51.090','23527')," \
	"('51.091','23530'),('51.092','23534'),('51.093','23535')," \
	"('51.094','23536'),('51.095','23538'),('51.096','23548')"

/*
 * An UPDATE of the JSON objects in table.column (field key to value):
 * each value that is an address whose ward_code is a local code gets the
 * national one, every other member kept as it is.  Rows without a local
 * code are not touched.
 */
#define ADDRESS_LEGACY_UPDATE(table, column) \
	"UPDATE " table " SET " column " = (" \
	" WITH m (local, national) AS (VALUES " ADDRESS_LEGACY_WARDS ")" \
	" SELECT json_group_object(e.key, CASE" \
	"  WHEN m.national IS NOT NULL" \
	"   THEN json_set(e.value, '$.ward_code', m.national)" \
	"  WHEN e.type IN ('object', 'array') THEN json(e.value)" \
	"  WHEN e.type IN ('true', 'false', 'null') THEN json(e.type)" \
	"  ELSE e.value END)" \
	" FROM json_each(" table "." column ") e" \
	" LEFT JOIN m ON e.type = 'object' AND m.local = json_extract(" \
	"  CASE WHEN e.type = 'object' THEN e.value ELSE '{}' END," \
	"  '$.ward_code'))" \
	" WHERE " column " LIKE '%\"51.%';"

#endif
