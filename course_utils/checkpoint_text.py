"""What checkpoint says: why a checkpoint cannot be saved or loaded, in the student's language."""

from __future__ import annotations

from course_utils.i18n import Catalog

_ = Catalog(
    {
        "missing": {
            "es": "No existe el punto de control {path}. Revisa el nombre y la carpeta, o entrena "
            "y guárdalo antes con checkpoint.save(...).",
            "en": "There is no checkpoint {path}. Check the name and the folder, or train "
            "and save it first with checkpoint.save(...).",
        },
        "corrupt": {
            "es": "{name} está incompleto o dañado y no se puede leer ({error}). Suele pasar "
            "cuando una copia o un guardado se cortó a medias. Bórralo y usa otro punto de "
            "control.",
            "en": "{name} is truncated or corrupt and cannot be read ({error}). This happens "
            "when a copy or a save was cut short. Delete it and use another checkpoint.",
        },
        "unsafe": {
            "es": "{name} guarda objetos de Python que no son tensores ni números, y "
            "torch.load(weights_only=True) se niega a abrirlo porque podría ejecutar código. "
            "No lo escribió checkpoint.save; ábrelo con weights_only=False solo si confías "
            "en quien lo creó.",
            "en": "{name} holds Python objects other than tensors and numbers, and "
            "torch.load(weights_only=True) refuses to open it because it could run code. "
            "checkpoint.save did not write it; open it with weights_only=False only if you "
            "trust whoever made it.",
        },
        "foreign": {
            "es": "{name} no es un punto de control de checkpoint.save. Si solo guarda un "
            "state_dict, cárgalo con model.load_state_dict(torch.load(ruta, weights_only=True)).",
            "en": "{name} is not a checkpoint written by checkpoint.save. If it holds just a "
            "state_dict, load it with model.load_state_dict(torch.load(path, weights_only=True)).",
        },
        "mismatch": {
            "es": "{name} se guardó desde otra arquitectura (hiperparámetros guardados: "
            "{hparams}). Construye el modelo igual que al guardar, o carga un punto de control de "
            "este modelo. Diferencias:",
            "en": "{name} was saved from another architecture (saved hyperparameters: "
            "{hparams}). Build the model as it was when saved, or load a checkpoint of this "
            "model. Differences:",
        },
        "not_in_file": {
            "es": "  - el modelo tiene y el archivo no: {keys}",
            "en": "  - in the model, not in the file: {keys}",
        },
        "not_in_model": {
            "es": "  - el archivo tiene y el modelo no: {keys}",
            "en": "  - in the file, not in the model: {keys}",
        },
        "shape": {
            "es": "  - {tensor}: forma {saved} en el archivo, {current} en el modelo",
            "en": "  - {tensor}: shape {saved} in the file, {current} in the model",
        },
        "optimizer": {
            "es": "{name} guardó el estado de un optimizador de tipo {saved} y le pasas uno "
            "de tipo {yours}: crea el mismo tipo de optimizador antes de cargar.",
            "en": "{name} saved the state of an optimizer of type {saved} and you passed "
            "one of type {yours}: create the same kind of optimizer before loading.",
        },
        "no_state": {
            "es": "{name} no guarda el estado de {what}: guárdalo con "
            "checkpoint.save(..., {what}=...) o no pases {what} al cargar.",
            "en": "{name} holds no state for {what}: save it with "
            "checkpoint.save(..., {what}=...) or pass no {what} when loading.",
        },
        "hparams": {
            "es": "{where} es de tipo {kind}: los hiperparámetros solo pueden ser números, "
            "textos, booleanos, None, listas, tuplas o diccionarios, para que el archivo se "
            "lea con weights_only=True. Guarda su nombre o su valor en su lugar.",
            "en": "{where} is a {kind}: hyperparameters may only be numbers, strings, "
            "booleans, None, lists, tuples or dicts, so the file loads with "
            "weights_only=True. Store its name or its value instead.",
        },
    }
)


def mismatch(name: str, hparams: dict, differences: list[tuple]) -> str:
    """The mismatch message with its list of differences, in the current language."""
    lines = [_("mismatch", name=name, hparams=hparams)]
    return "\n".join(lines + [_(key, **values) for key, values in differences])
